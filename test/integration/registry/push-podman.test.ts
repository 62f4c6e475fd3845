/**
 * What selkie pushes, Podman pulls and runs: an OCI push and a Docker schema2 push of the imported
 * busybox to the plain registry. Podman runs against a private root (vfs), removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { which } from '../../../src/engine/util/which.js';
import { useFixtures } from '../../fixtures/inject.js';
import { busyboxTar } from '../../helpers/selkie-cli.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const havePodman = !!which('podman');
const { plain } = useFixtures().registries;

let s: PullEnv;
let work = '';
let imageId = '';

function podman(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('podman', ['--root', `${work}/podman-root`, '--runroot', `${work}/podman-run`, '--storage-driver', 'vfs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CONTAINERS_CONF: `${work}/containers.conf`, CONTAINERS_REGISTRIES_CONF: `${work}/registries.conf` },
    timeout: 120_000,
  });
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  if (!havePodman) return;
  s = makePullEnv();
  work = fs.mkdtempSync('/var/tmp/selkie-push-podman-');
  fs.writeFileSync(
    `${work}/containers.conf`,
    '[containers]\ndefault_ulimits=["nofile=20000:20000","nproc=4096:4096"]\n[engine]\nruntime="runc"\ncgroup_manager="cgroupfs"\n',
  );
  fs.writeFileSync(`${work}/registries.conf`, '# empty\n');
  fs.writeFileSync(`${work}/busybox.tar`, await busyboxTar());
  const r = await s.sk(['import', '--change', 'CMD ["sh"]', `${work}/busybox.tar`, 'localhost/podbox:1']);
  expect(r.code).toBe(0);
  imageId = r.stdout.trim().replace(/^sha256:/, '');
}, 120_000);

afterAll(async () => {
  if (!havePodman) return;
  podman(['rmi', '-a', '-f']);
  await s.cleanup();
  spawnSync('rm', ['-rf', '--one-file-system', work]);
});

describe.skipIf(!havePodman)('selkie push → podman pull', () => {
  it.each(['oci', 'v2s2'])('podman pulls and runs a %s push with the same image ID', async (format) => {
    const ref = `${plain.host}/podman/busybox:${format}`;
    const p = await s.sk(['push', '-q', '--tls-verify=false', '--format', format, 'localhost/podbox:1', ref]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const pull = podman(['pull', '-q', '--tls-verify=false', ref]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout.trim()).toBe(imageId);
    const run = podman(['run', '--rm', '--net=none', ref, 'echo', `pushed ${format}`]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`pushed ${format}\n`);
  });
});
