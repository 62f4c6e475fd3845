/**
 * --restart honoured without a daemon (conmon's exit command restarts per policy), and the other
 * run/create flags systemd units need: --cidfile, --replace, --cgroups, --log-driver, stop/rm
 * --cidfile --ignore.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let tmp: string;
beforeAll(async () => {
  s = await busyboxEnv();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-restart-'));
});
afterEach(async () => {
  await s.run(['rm', '-f', '-a']); // a failed test leaves nothing for the next one
});
afterAll(async () => {
  await s.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const ok = async (args: string[]) => {
  const r = await s.run(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim();
};
const inspect = async (name: string, format: string) => (await s.run(['inspect', name, '--format', format])).stdout.trim();
async function until(what: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('--restart', () => {
  it('on-failure:2 restarts a failing container twice, counting, then leaves it exited', async () => {
    await ok(['run', '-d', '--name', 'rs-fail', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo run; exit 3']);
    expect(JSON.parse(await inspect('rs-fail', '{{json .HostConfig.RestartPolicy}}'))).toEqual({ Name: 'on-failure', MaximumRetryCount: 2 });
    await until(async () => (await inspect('rs-fail', '{{.RestartCount}}')) === '2');
    await until(async () => (await inspect('rs-fail', '{{.State.Status}}')) === 'exited');
    await new Promise((r) => setTimeout(r, 1500)); // no third run comes
    expect(await inspect('rs-fail', '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}')).toBe('2 exited 3');
    expect((await s.run(['logs', 'rs-fail'])).stdout).toBe('run\nrun\nrun\n');
    // A start by the user begins a new count: two more restarts follow it (had the count stayed at
    // 2, the user's run would be the only one). The container fails at once, so the count is not
    // sampled right after the start: a restart may already have happened.
    await ok(['start', 'rs-fail']);
    await until(async () => (await s.run(['logs', 'rs-fail'])).stdout === 'run\n'.repeat(6));
    await until(async () => (await inspect('rs-fail', '{{.RestartCount}} {{.State.Status}}')) === '2 exited');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await s.run(['logs', 'rs-fail'])).stdout).toBe('run\n'.repeat(6));
    await ok(['rm', '-f', 'rs-fail']);
  });

  it('on-failure does not restart a clean exit; no is the default', async () => {
    await ok(['run', '-d', '--name', 'rs-clean', '--restart', 'on-failure', 'busybox', 'true']);
    await ok(['run', '-d', '--name', 'rs-no', 'busybox', 'false']);
    expect(await inspect('rs-no', '{{.HostConfig.RestartPolicy.Name}}')).toBe('no');
    await until(async () => (await inspect('rs-clean', '{{.State.Status}}')) === 'exited' && (await inspect('rs-no', '{{.State.Status}}')) === 'exited');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inspect('rs-clean', '{{.RestartCount}} {{.State.Status}}')).toBe('0 exited');
    expect(await inspect('rs-no', '{{.RestartCount}} {{.State.Status}}')).toBe('0 exited');
    await ok(['rm', 'rs-clean', 'rs-no']);
  });

  it('always restarts a container that exits by itself, but not one the user stops or kills', async () => {
    await ok(['run', '-d', '--name', 'rs-always', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 0.5']);
    await until(async () => Number(await inspect('rs-always', '{{.RestartCount}}')) >= 2);
    await ok(['stop', '-t', '1', 'rs-always']);
    const count = await inspect('rs-always', '{{.RestartCount}}');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await inspect('rs-always', '{{.State.Status}} {{.RestartCount}}')).toBe(`exited ${count}`);

    await ok(['run', '-d', '--name', 'rs-killed', '--restart', 'unless-stopped', 'busybox', 'sleep', '300']);
    await ok(['kill', 'rs-killed']);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await inspect('rs-killed', '{{.State.Status}} {{.RestartCount}}')).toBe('exited 0');
    await ok(['rm', 'rs-always', 'rs-killed']);
  });

  it('bad input: unknown policies, a count on the wrong policy, --rm with a policy', async () => {
    for (const [flag, msg] of [
      ['sometimes', /invalid --restart "sometimes"/],
      ['always:3', /only on-failure takes a retry count/],
      ['on-failure:x', /retry count must be a whole number/],
    ] as const) {
      const r = await s.run(['create', '--restart', flag, 'busybox', 'true']);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(msg);
    }
    const rm = await s.run(['run', '--rm', '--restart', 'always', 'busybox', 'true']);
    expect(rm.code).toBe(125);
    expect(rm.stderr).toMatch(/--rm option conflicts with --restart=always/);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });
});

describe('flags for systemd units', () => {
  it('--cidfile writes the ID (refusing an existing file); stop/rm --cidfile act on it, --ignore when gone', async () => {
    const cidfile = path.join(tmp, 'web.ctr-id');
    const id = await ok(['run', '-d', '--cidfile', cidfile, '--name', 'cid', 'busybox', 'sleep', '300']);
    expect(fs.readFileSync(cidfile, 'utf8')).toBe(id);
    const taken = await s.run(['create', '--cidfile', cidfile, 'busybox', 'true']);
    expect(taken.code).toBe(125);
    expect(taken.stderr).toMatch(/container ID file .* already exists/);
    expect((await s.run(['ps', '-a', '-q'])).stdout.trim().split('\n')).toHaveLength(1);
    await ok(['stop', '-t', '1', '--cidfile', cidfile]);
    expect(await inspect('cid', '{{.State.Status}}')).toBe('exited');
    await ok(['rm', '--cidfile', cidfile]);
    expect(fs.existsSync(cidfile)).toBe(false);
    // Gone: --ignore makes that fine; without it, it is an error.
    await ok(['stop', '--ignore', '--cidfile', cidfile]);
    await ok(['rm', '-f', '--ignore', '--cidfile', cidfile]);
    await ok(['rm', '--ignore', 'no-such-container']);
    expect((await s.run(['stop', '--cidfile', cidfile])).code).toBe(125);
    expect((await s.run(['rm', 'no-such-container'])).code).toBe(1);
  });

  it('--replace removes the container holding the name; without --name it is an error', async () => {
    const first = await ok(['run', '-d', '--name', 'rep', 'busybox', 'sleep', '300']);
    const second = await ok(['run', '-d', '--replace', '--name', 'rep', 'busybox', 'sleep', '300']);
    expect(second).not.toBe(first);
    expect((await s.run(['ps', '-a', '-q', '--no-trunc'])).stdout.trim()).toBe(second);
    const noName = await s.run(['create', '--replace', 'busybox', 'true']);
    expect(noName.code).toBe(125);
    expect(noName.stderr).toMatch(/--replace needs --name/);
    await ok(['rm', '-f', 'rep']);
  });

  it('--cgroups: no-conmon and split are applied to the container cgroup; disabled is refused with runc', async () => {
    await ok(['run', '-d', '--name', 'cg-split', '--cgroups', 'split', 'busybox', 'sleep', '300']);
    const id = await inspect('cg-split', '{{.Id}}');
    const cg = (await s.run(['exec', 'cg-split', 'cat', '/proc/self/cgroup'])).stdout;
    expect(cg).toContain(`/selkie-${id}`); // below the caller's cgroup, not /selkie/ID
    expect(await inspect('cg-split', '{{.HostConfig.Cgroups}}')).toBe('split');
    await ok(['run', '-d', '--name', 'cg-nc', '--cgroups', 'no-conmon', 'busybox', 'sleep', '300']);
    expect((await s.run(['exec', 'cg-nc', 'cat', '/proc/self/cgroup'])).stdout).toContain(`/selkie/${await inspect('cg-nc', '{{.Id}}')}`);
    const disabled = await s.run(['create', '--runtime', 'runc', '--cgroups', 'disabled', 'busybox', 'true']);
    expect(disabled.code).toBe(125);
    expect(disabled.stderr).toMatch(/--cgroups=disabled is not possible with the runc runtime/);
    expect((await s.run(['create', '--cgroups', 'sometimes', 'busybox', 'true'])).code).toBe(125);
    await ok(['rm', '-f', 'cg-split', 'cg-nc']);
  });

  it('--log-driver: journald without a journal is a clear error at create; none and k8s-file work', async () => {
    const journald = await s.run(['run', '--rm', '--log-driver', 'journald', 'busybox', 'true']);
    if (fs.existsSync('/run/systemd/journal/socket')) {
      expect(journald.code).toBe(0);
    } else {
      expect(journald.code).toBe(125);
      expect(journald.stderr.trim()).toBe('Error: no systemd journal on this host (/run/systemd/journal/socket is missing): use --log-driver k8s-file');
    }
    await ok(['run', '-d', '--name', 'lg-none', '--log-driver', 'none', 'busybox', 'echo', 'hi']);
    expect(await inspect('lg-none', '{{.HostConfig.LogConfig.Type}}')).toBe('none');
    const logs = await s.run(['logs', 'lg-none']);
    expect(logs.code).toBe(125);
    expect(logs.stderr).toMatch(/uses the "none" log driver/);
    await ok(['run', '-d', '--name', 'lg-k8s', '--log-driver', 'k8s-file', 'busybox', 'echo', 'hi']);
    await until(async () => (await s.run(['logs', 'lg-k8s'])).stdout === 'hi\n');
    expect((await s.run(['create', '--log-driver', 'syslog', 'busybox', 'true'])).code).toBe(125);
    await ok(['rm', '-f', 'lg-none', 'lg-k8s']);
  });
});
