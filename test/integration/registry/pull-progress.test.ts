/**
 * What pull and push print on stderr: podman's plain lines when stderr is not a terminal, per-blob
 * bars that end as "done" lines on a terminal (run under script(1), which gives the CLI a pty), and
 * only the image ID with -q.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { busyboxTar, selkieBin } from '../../helpers/selkie-cli.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const P = fx.registries.plain.host;

let s: PullEnv;
beforeAll(() => {
  s = makePullEnv();
});
afterAll(async () => s.cleanup());

const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

/** Runs selkie on a pseudo-terminal 120 columns wide; returns everything it wrote, \r\n as \n. */
function onTerminal(env: PullEnv, args: string[]): Promise<string> {
  const cmd = `stty cols 120 rows 40; exec ${[selkieBin, ...env.flags, ...args].map(quote).join(' ')}`;
  const vars = { ...process.env, REGISTRY_AUTH_FILE: env.authFile, CONTAINERS_REGISTRIES_CONF: env.registriesConf, XDG_CONFIG_HOME: path.join(path.dirname(env.root), 'config') };
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', cmd, '/dev/null'], { env: vars, timeout: 60_000 }, (err, stdout) => {
      if (err) reject(new Error(`${err.message}\n${stdout}`));
      else resolve(stdout.replace(/\r\n/g, '\n'));
    });
  });
}

const layersOf = (name: 'busybox' | 'layers') => fx.images[name].manifests[0]!.layers.map((l) => l.digest);

describe('pull progress', () => {
  it('without a terminal: podman plain lines on stderr, the ID on stdout', async () => {
    const ref = `${P}/layers:latest`;
    const r = await s.sk(['pull', '--tls-verify=false', ref]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const lines = r.stderr.split('\n');
    expect(lines.slice(0, 2)).toEqual([`Trying to pull ${ref}...`, 'Getting image source signatures']);
    const blobs = lines.filter((l) => l.startsWith('Copying blob ')).map((l) => l.slice('Copying blob '.length));
    expect(blobs.sort()).toEqual([...layersOf('layers')].sort());
    expect(lines.slice(-4)).toEqual([expect.stringMatching(/^Copying config sha256:[0-9a-f]{64}$/), 'Writing manifest to image destination', 'Storing signatures', '']);
    // Again: the image is there, every blob is reported (as podman does) and nothing is fetched.
    const again = await s.sk(['pull', '--tls-verify=false', ref]);
    expect(again.stderr.split('\n').sort()).toEqual(lines.sort());
    expect(again.stdout).toBe(r.stdout);
  });

  it('on a terminal: a bar per blob that ends as a done line; -q prints only the ID', async () => {
    const e = makePullEnv();
    try {
      const out = await onTerminal(e, ['pull', '--tls-verify=false', `${P}/busybox:latest`]);
      expect(out).toMatch(/^Trying to pull .*busybox:latest\.\.\.\nGetting image source signatures\n/);
      for (const d of layersOf('busybox')) expect(out).toContain(`Copying blob ${d.slice(7, 19)} done`);
      expect(out).toMatch(/Copying config [0-9a-f]{10} done/);
      expect(out).toContain('\x1b['); // drawn in place
      expect(out).toMatch(/Writing manifest to image destination\nStoring signatures\n[0-9a-f]{64}\n$/);
      const again = await onTerminal(e, ['pull', '--tls-verify=false', `${P}/busybox:latest`]);
      for (const d of layersOf('busybox')) expect(again).toContain(`Copying blob ${d.slice(7, 19)} skipped: already exists`);
      const quiet = await onTerminal(e, ['pull', '-q', '--tls-verify=false', `${P}/busybox:latest`]);
      expect(quiet).toMatch(/^[0-9a-f]{64}\n$/);
    } finally {
      await e.cleanup();
    }
  });

  it('push on a terminal shows the upload bar and done lines; without one the plain lines', async () => {
    const e = makePullEnv();
    try {
      const tar = path.join(path.dirname(e.root), 'busybox.tar');
      fs.writeFileSync(tar, await busyboxTar());
      expect((await e.sk(['import', tar, 'localhost/progressbox:1'])).code).toBe(0);
      const out = await onTerminal(e, ['push', '--tls-verify=false', 'localhost/progressbox:1', `${P}/progress/box:1`]);
      expect(out).toMatch(/^Getting image source signatures\n/);
      expect(out).toMatch(/Copying blob [0-9a-f]{12} \[[=>-]+\] [\d.]+(b|KiB|MiB) \/ [\d.]+(b|KiB|MiB)/);
      expect(out).toMatch(/Copying blob [0-9a-f]{12} done/);
      expect(out).toMatch(/Writing manifest to image destination\nStoring signatures\n$/);
      const plain = await e.sk(['push', '--tls-verify=false', 'localhost/progressbox:1', `${P}/progress/box:2`]);
      expect(plain.stderr).toMatch(/^Getting image source signatures\nCopying blob sha256:[0-9a-f]{64}\nCopying config sha256:[0-9a-f]{64}\nWriting manifest to image destination\nStoring signatures\n$/);
    } finally {
      await e.cleanup();
    }
  });
});
