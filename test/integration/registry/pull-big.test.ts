import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { selkieBin } from '../../helpers/selkie-cli.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const P = fx.registries.plain.host;
const big = fx.registries.plain.images['big:latest'];

let s: PullEnv;
beforeAll(() => {
  s = makePullEnv();
});
afterAll(async () => s.cleanup());

/** Bytes of downloaded blobs in GRAPHROOT/tmp/pull-* so far. */
function spooled(root: string): number {
  let n = 0;
  const tmp = path.join(root, 'tmp');
  for (const d of fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((x) => x.startsWith('pull-')) : []) {
    for (const f of fs.readdirSync(path.join(tmp, d))) {
      try {
        n += fs.statSync(path.join(tmp, d, f)).size;
      } catch {
        /* removed meanwhile */
      }
    }
  }
  return n;
}

describe.skipIf(!big)('the big image', () => {
  it('a pull killed midway leaves no image, and the next pull completes', async () => {
    const child = spawn(selkieBin, [...s.flags, 'pull', '--tls-verify=false', `${P}/big:latest`], {
      env: { ...process.env, REGISTRY_AUTH_FILE: s.authFile, CONTAINERS_REGISTRIES_CONF: s.registriesConf },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const deadline = Date.now() + 30_000;
    let done = false;
    void exited.then(() => (done = true));
    while (!done && spooled(s.root) < 1 << 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    if (spooled(s.root) === 0 && (await s.imageIds()).length === 1) return; // finished before we could kill it
    expect(await s.imageIds()).toEqual([]);

    const r = await s.sk(['pull', '-q', '--tls-verify=false', `${P}/big:latest`], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const inspect = JSON.parse((await s.sk(['image', 'inspect', `${P}/big:latest`])).stdout)[0];
    expect(inspect.RootFS.Layers).toHaveLength(5);
    expect(inspect.Size).toBeGreaterThan(150 << 20);
    // the killed pull's temp directory is gone
    expect(fs.readdirSync(path.join(s.root, 'tmp')).filter((x) => x.startsWith('pull-'))).toEqual([]);
    const ls = await s.sk(['run', '--rm', `${P}/big:latest`, 'ls', '/opt/big/lib']);
    expect(ls.stdout).toBe('libfixture-a.so\nlibfixture-b.so\n');
  }, 120_000);
});
