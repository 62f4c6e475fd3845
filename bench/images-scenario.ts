/**
 * `images (200 images)`: `images` over a store of 200 distinct images (the busybox rootfs imported 200
 * times, each with its own LABEL), for selkie and for podman, each in a private storage root under
 * /var/tmp created once per bench run and removed at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { busyboxRootfsTar } from '../scripts/busybox-rootfs.mjs';
import { onCleanup, runChecked } from './cleanup.js';
import type { Scenario } from './scenarios.js';

const COUNT = 200;

export function imagesManyScenario(selkie: string): Scenario {
  const dir = path.join('/var/tmp', `selkie-bench-images-${process.pid}`);
  const sroot = ['--root', path.join(dir, 'selkie-root'), '--runroot', path.join(dir, 'selkie-run')];
  const proot = ['--root', path.join(dir, 'podman-root'), '--runroot', path.join(dir, 'podman-run')];
  const s: Scenario = {
    name: 'images (200 images)',
    target: 'images issue: reported against podman and node -e 0',
    selkie: [selkie, ...sroot, 'images'],
    podman: ['podman', ...proot, 'images'],
    floor: [process.execPath, '-e', '0'],
    floorName: 'node -e 0',
    setup: async (penv) => {
      onCleanup({ name: 'images (200 images) storage roots', sync: () => fs.rmSync(dir, { recursive: true, force: true }) });
      fs.mkdirSync(dir, { recursive: true });
      const tar = path.join(dir, 'busybox.tar');
      fs.writeFileSync(tar, busyboxRootfsTar());
      const t0 = Date.now();
      // One loop per engine, the two loops side by side (each engine's imports one after the other).
      const q = (a: string[]) => a.map((x) => `'${x.replace(/'/g, `'\\''`)}'`).join(' ');
      const loop = (argv: string[]) =>
        `for i in $(seq 1 ${COUNT}); do ${q(argv)} --change "LABEL selkie.bench.n=$i" ${q([tar])} "localhost/bench/img$i:latest" >/dev/null || exit 1; done`;
      const log = (name: string) => q([path.join(dir, `${name}-import.log`)]);
      const script = [
        'set -u',
        `( ${loop([selkie, ...sroot, 'import', '-q'])} ) 2>${log('selkie')} & s=$!`,
        penv ? `( export CONTAINERS_CONF=${q([penv.CONTAINERS_CONF!])}; ${loop(['podman', ...proot, 'import', '-q'])} ) 2>${log('podman')} & p=$!` : 'p=',
        `ok=0; wait $s || { echo "selkie import failed: $(tail -n 1 ${log('selkie')})" >&2; ok=1; }`,
        `[ -z "$p" ] || wait $p || { echo "podman import failed: $(tail -n 1 ${log('podman')})" >&2; ok=1; }`,
        'exit $ok',
      ].join('\n');
      runChecked(['bash', '-c', script]);
      const count = (argv: string[], env?: NodeJS.ProcessEnv) => runChecked([...argv, '-q'], env).trim().split('\n').filter(Boolean).length;
      const n = count(s.selkie);
      const np = penv ? count(s.podman!, penv) : COUNT;
      if (n !== COUNT || np !== COUNT) throw new Error(`prepared stores have ${n} (selkie) and ${np} (podman) images, not ${COUNT}`);
      process.stderr.write(`${COUNT} images imported into each store in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    },
  };
  return s;
}
