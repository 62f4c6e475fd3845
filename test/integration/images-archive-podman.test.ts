/**
 * Interoperability of save/load with Podman and skopeo: archives Podman writes load into selkie and
 * run; archives selkie writes load into Podman with the same names and image IDs, and skopeo reads
 * them. Podman runs against a private root (vfs) and its images are removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { which } from '../../src/engine/util/which.js';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

const havePodman = !!which('podman');
const haveSkopeo = !!which('skopeo');

let s: SelkieEnv;
let work = '';
let podmanId = '';
let selkieId = '';

function podman(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('podman', ['--root', `${work}/podman-root`, '--runroot', `${work}/podman-run`, '--storage-driver', 'vfs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CONTAINERS_CONF: `${work}/containers.conf` },
    timeout: 120_000,
  });
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  if (!havePodman) return;
  s = makeSelkieEnv();
  work = fs.mkdtempSync('/var/tmp/selkie-podman-');
  fs.writeFileSync(`${work}/containers.conf`, '[engine]\nruntime="runc"\ncgroup_manager="cgroupfs"\n');
  fs.writeFileSync(`${work}/busybox.tar`, await busyboxTar());
  const p = podman(['import', `${work}/busybox.tar`, 'localhost/pbusy:v1']);
  expect(p.code, p.stderr).toBe(0);
  podmanId = p.stdout.trim().split('\n').at(-1)!.replace(/^sha256:/, '');
  const r = await s.run(['import', `${work}/busybox.tar`, 'localhost/sbusy:v2']);
  expect(r.code).toBe(0);
  selkieId = r.stdout.trim().slice(7);
}, 180_000);

afterAll(async () => {
  if (!havePodman) return;
  podman(['rmi', '-a', '-f']);
  await s.cleanup();
  spawnSync('rm', ['-rf', '--one-file-system', work]);
});

describe.skipIf(!havePodman)('podman save → selkie load', () => {
  for (const format of ['docker-archive', 'oci-archive'] as const) {
    it(`loads and runs a ${format} podman wrote`, async () => {
      const file = path.join(work, `podman-${format}.tar`);
      const p = podman(['save', '--format', format, '-o', file, 'localhost/pbusy:v1']);
      expect(p.code, p.stderr).toBe(0);
      const r = await s.run(['load', '-i', file]);
      expect(r).toMatchObject({ code: 0, stdout: 'Loaded image: localhost/pbusy:v1\n' });
      expect((await s.run(['images', '-q', '--no-trunc', 'localhost/pbusy:v1'])).stdout).toBe(`sha256:${podmanId}\n`);
      expect((await s.run(['run', '--rm', 'localhost/pbusy:v1', 'echo', `via ${format}`])).stdout).toBe(`via ${format}\n`);
      expect((await s.run(['rmi', 'localhost/pbusy:v1'])).code).toBe(0);
    });
  }
});

describe.skipIf(!havePodman)('selkie save → podman load, skopeo inspect', () => {
  for (const format of ['docker-archive', 'oci-archive'] as const) {
    it(`writes a ${format} podman loads with the same name and ID`, async () => {
      const file = path.join(work, `selkie-${format}.tar`);
      expect((await s.run(['save', '--format', format, '-o', file, 'localhost/sbusy:v2'])).code).toBe(0);
      const p = podman(['load', '-i', file]);
      expect(p.code, p.stderr).toBe(0);
      expect(p.stdout).toContain('Loaded image: localhost/sbusy:v2');
      const ins = podman(['image', 'inspect', '--format', '{{.Id}} {{index .RepoTags 0}}', 'localhost/sbusy:v2']);
      expect(ins.stdout.trim()).toBe(`${selkieId} localhost/sbusy:v2`);
      // (Running it in Podman is left out: Podman's runc cannot set rlimits in this sandbox.)
      expect(podman(['rmi', 'localhost/sbusy:v2']).code).toBe(0);
    });

    it.skipIf(!haveSkopeo)(`writes a ${format} skopeo reads`, async () => {
      const file = path.join(work, `selkie-${format}.tar`);
      const r = spawnSync('skopeo', ['inspect', '--config', `${format}:${file}`], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const config = JSON.parse(r.stdout) as { rootfs: { diff_ids: string[] } };
      expect(config.rootfs.diff_ids).toHaveLength(1);
      const raw = spawnSync('skopeo', ['inspect', '--raw', '--config', `${format}:${file}`]);
      expect(raw.status).toBe(0);
      expect(createHash('sha256').update(raw.stdout).digest('hex')).toBe(selkieId);
    });
  }
});
