/**
 * `generate systemd --new` for a pod: the pod unit creates the pod in ExecStartPre (pod create
 * --infra-conmon-pidfile --pod-id-file --exit-policy=stop --replace), starts, stops and removes it
 * by the pod ID file; the containers' units `run --pod-id-file` it and bind to the pod unit.
 * systemd-analyze verify accepts the units, and their Exec lines, run by hand in systemd's order
 * (%t and %n filled in), bring the pod and its containers up and take them away again.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, selkieBin, type RunResult, type SelkieEnv } from '../helpers/selkie-cli.js';
import { listenNotify, type NotifyListener } from '../helpers/notify-socket.js';
import { execArgv, parseUnit, values, type UnitFile } from '../helpers/unit-file.js';

let s: SelkieEnv;
let tmp: string;
let listener: NotifyListener | undefined;
beforeAll(async () => {
  s = await busyboxEnv();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-genpod-'));
});
afterEach(() => {
  listener?.close();
  listener = undefined;
});
afterAll(async () => {
  for (const p of ['np', 'np2', 'np3', 'np5']) await s.run(['pod', 'rm', '-f', p]);
  await s.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const ok = async (args: string[]) => {
  const r = await s.run(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};
const inspect = async (name: string, format: string) => (await s.run(['inspect', name, '--format', format])).stdout.trim();
const podInspect = async (name: string, format: string) => (await s.run(['pod', 'inspect', name, '--format', format])).stdout.trim();
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

function verify(file: string): void {
  if (!hasAnalyze) return;
  const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr.split('\n').filter((l) => l.includes(path.basename(file)))).toEqual([]);
  expect(r.status).toBe(0);
}

/** Run one Exec line of a unit the way systemd would (specifiers filled in); fails the test on a non-zero exit. */
function runExec(line: string, unit: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const [cmd, ...args] = execArgv(line, { t: tmp, n: unit });
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
  });
}

/** Every line of `key` in the unit's [Service], run in order, each succeeding. */
async function runAll(u: UnitFile, key: string, unit: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  for (const line of values(u, 'Service', key)) {
    const r = await runExec(line, unit, env);
    expect({ line: line.slice(0, 60), stderr: r.stderr, code: r.code }).toEqual({ line: line.slice(0, 60), stderr: '', code: 0 });
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('generate systemd --new for a pod', () => {
  it('writes a pod unit that creates/starts/stops/removes the pod by its ID file, and member units that run in it', async () => {
    await ok(['pod', 'create', '--name', 'np', '--label', 'team=blue']);
    await ok(['create', '--pod', 'np', '--name', 'np-a', 'busybox', 'sleep', '300']);
    await ok(['create', '--pod', 'np', '--name', 'np-b', '-e', 'GREETING=hi there', 'busybox', 'sh', '-c', 'echo "$GREETING"; sleep 300']);
    const dir = fs.mkdtempSync(path.join(tmp, 'files-'));
    const r = spawnSync(selkieBin, [...s.flags, 'generate', 'systemd', '--new', '--files', '--name', '--restart-policy', 'always', '-t', '1', 'np'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const names = ['pod-np', 'container-np-a', 'container-np-b'];
    const files = names.map((n) => path.join(dir, `${n}.service`));
    expect(r.stdout.trim().split('\n').sort()).toEqual([...files].sort());
    for (const f of files) verify(f);
    const [pod, a, b] = files.map((f) => parseUnit(fs.readFileSync(f, 'utf8'))) as [UnitFile, UnitFile, UnitFile];

    // The pod unit, in Podman 4's shape.
    const self = [selkieBin, ...s.flags].join(' ');
    expect(values(pod, 'Unit', 'Wants').slice(1)[0]!.split(' ').sort()).toEqual(['container-np-a.service', 'container-np-b.service']);
    expect(values(pod, 'Unit', 'Before')[0]!.split(' ').sort()).toEqual(['container-np-a.service', 'container-np-b.service']);
    expect(values(pod, 'Service', 'Restart')).toEqual(['always']);
    expect(values(pod, 'Service', 'TimeoutStopSec')).toEqual(['61']);
    expect(values(pod, 'Service', 'Type')).toEqual(['forking']);
    expect(values(pod, 'Service', 'PIDFile')).toEqual(['%t/pod-np.pid']);
    expect(values(pod, 'Service', 'ExecStartPre')).toEqual([
      '/bin/rm -f %t/pod-np.pid %t/pod-np.pod-id',
      `${self} pod create --infra-conmon-pidfile %t/pod-np.pid --pod-id-file %t/pod-np.pod-id --exit-policy=stop --name np --label team=blue --replace`,
    ]);
    expect(values(pod, 'Service', 'ExecStart')).toEqual([`${self} pod start --pod-id-file %t/pod-np.pod-id`]);
    expect(values(pod, 'Service', 'ExecStop')).toEqual([`${self} pod stop --ignore --pod-id-file %t/pod-np.pod-id -t 1`]);
    expect(values(pod, 'Service', 'ExecStopPost')).toEqual([`${self} pod rm --ignore -f --pod-id-file %t/pod-np.pod-id`]);
    // The members' units: bound to the pod's, run in the pod the pod unit made.
    for (const [u, name] of [[a, 'np-a'], [b, 'np-b']] as const) {
      expect(values(u, 'Unit', 'BindsTo')).toEqual(['pod-np.service']);
      expect(values(u, 'Unit', 'After')).toEqual(['network-online.target', 'pod-np.service']);
      expect(values(u, 'Service', 'Type')).toEqual(['notify']);
      expect(values(u, 'Service', 'Restart')).toEqual(['always']);
      const start = values(u, 'Service', 'ExecStart')[0]!;
      expect(start).toContain(` run --cidfile=%t/%n.ctr-id --cgroups=no-conmon --rm --pod-id-file %t/pod-np.pod-id --sdnotify=conmon -d --replace --name ${name} `);
      expect(start).not.toMatch(/--pod np|create/);
    }
    expect(values(b, 'Service', 'ExecStart')[0]).toMatch(/ -e "GREETING=hi there" busybox sh -c "echo \\"\$\$GREETING\\"; sleep 300"$/);

    // systemd starting the pod unit (the old pod still exists: --replace takes its name over).
    const oldPod = await podInspect('np', '{{.Id}}');
    await runAll(pod, 'ExecStartPre', 'pod-np.service');
    const podId = fs.readFileSync(path.join(tmp, 'pod-np.pod-id'), 'utf8').trim();
    expect(podId).not.toBe(oldPod);
    expect(await podInspect('np', '{{.Id}} {{.ExitPolicy}} {{.Labels.team}}')).toBe(`${podId} stop blue`);
    expect((await s.run(['ps', '-a', '--format', '{{.Names}}'])).stdout.trim().split('\n')).toEqual([await inspect(await podInspect('np', '{{.InfraContainerId}}'), '{{.Name}}')]);
    await runAll(pod, 'ExecStart', 'pod-np.service');
    const infra = await podInspect('np', '{{.InfraContainerId}}');
    expect(await inspect(infra, '{{.State.Status}}')).toBe('running');
    // PIDFile=: the infra's conmon, what systemd watches as the unit's main process.
    const mainPid = Number(fs.readFileSync(path.join(tmp, 'pod-np.pid'), 'utf8'));
    expect(mainPid).toBe(Number(await inspect(infra, '{{.State.ConmonPid}}')));
    expect(await inspect(infra, '{{.ConmonPidFile}}')).toBe(path.join(tmp, 'pod-np.pid'));

    // Then the members' units (After=pod-np.service), as Type=notify units with a notify socket.
    listener = await listenNotify();
    const ids: Record<string, string> = {};
    for (const [u, name] of [[a, 'np-a'], [b, 'np-b']] as const) {
      const unit = `container-${name}.service`;
      await runAll(u, 'ExecStartPre', unit);
      await runAll(u, 'ExecStart', unit, { NOTIFY_SOCKET: listener.socket });
      ids[name] = fs.readFileSync(path.join(tmp, `${unit}.ctr-id`), 'utf8').trim();
      expect(await inspect(name, '{{.Id}} {{.State.Status}} {{.Pod}}')).toBe(`${ids[name]} running ${podId}`);
    }
    await listener.waitFor(`MAINPID=${await inspect('np-b', '{{.State.ConmonPid}}')}`);
    // They share the pod's namespaces (uts: the pod's hostname).
    expect((await s.run(['exec', 'np-a', 'hostname'])).stdout.trim()).toBe('np');
    await until('np-b logs', async () => (await s.run(['logs', 'np-b'])).stdout === 'hi there\n');

    // systemd stopping the pod unit: the members' units first (BindsTo/After), then the pod's.
    for (const name of ['np-a', 'np-b']) {
      const unit = `container-${name}.service`;
      const u = name === 'np-a' ? a : b;
      await runAll(u, 'ExecStop', unit);
      await runAll(u, 'ExecStopPost', unit);
      expect(fs.existsSync(path.join(tmp, `${unit}.ctr-id`))).toBe(false);
      expect((await s.run(['container', 'exists', ids[name]!])).code).toBe(1);
      // With np-b still running the pod stays up.
      if (name === 'np-a') expect(await inspect(infra, '{{.State.Status}}')).toBe('running');
    }
    // --exit-policy=stop: with its last container gone the infra stops by itself, and with it the unit's main process.
    await until('the infra to stop', async () => (await inspect(infra, '{{.State.Status}}')) === 'exited');
    await until('conmon to exit', async () => !alive(mainPid));
    await runAll(pod, 'ExecStop', 'pod-np.service');
    await runAll(pod, 'ExecStopPost', 'pod-np.service');
    expect((await s.run(['pod', 'exists', 'np'])).code).toBe(1);
    expect(fs.existsSync(path.join(tmp, 'pod-np.pod-id'))).toBe(false);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
    // Stopping again once all is gone is fine (--ignore, no pod ID file).
    await runAll(pod, 'ExecStop', 'pod-np.service');
    await runAll(pod, 'ExecStopPost', 'pod-np.service');
  });

  it('pod create --pod-id-file/--infra-conmon-pidfile, run --pod-id-file/--conmon-pidfile, pod stop/rm by ID file with and without --ignore', async () => {
    const idFile = path.join(tmp, 'np2.pod-id');
    const pidFile = path.join(tmp, 'np2.pid');
    await ok(['pod', 'create', '--name', 'np2', '--pod-id-file', idFile, '--infra-conmon-pidfile', pidFile]);
    const id = fs.readFileSync(idFile, 'utf8').trim();
    expect(await podInspect('np2', '{{.Id}} {{.ExitPolicy}}')).toBe(`${id} continue`);
    const ctrPid = path.join(tmp, 'np2-a.pid');
    await ok(['run', '-d', '--pod-id-file', idFile, '--conmon-pidfile', ctrPid, '--name', 'np2-a', 'busybox', 'sleep', '300']);
    expect(await inspect('np2-a', '{{.Pod}} {{.State.Status}}')).toBe(`${id} running`);
    expect(await inspect('np2-a', '{{.ConmonPidFile}}')).toBe(ctrPid);
    expect(Number(fs.readFileSync(ctrPid, 'utf8'))).toBe(Number(await inspect('np2-a', '{{.State.ConmonPid}}')));
    const infra = await podInspect('np2', '{{.InfraContainerId}}');
    expect(Number(fs.readFileSync(pidFile, 'utf8'))).toBe(Number(await inspect(infra, '{{.State.ConmonPid}}')));
    // exit policy continue: the infra keeps running when the member is stopped.
    await ok(['stop', '-t', '0', 'np2-a']);
    await new Promise((r) => setTimeout(r, 500));
    expect(await inspect(infra, '{{.State.Status}}')).toBe('running');
    expect((await ok(['pod', 'stop', '--pod-id-file', idFile, '-t', '1'])).trim()).toBe(id);
    expect(await inspect(infra, '{{.State.Status}}')).toBe('exited');
    expect((await ok(['pod', 'rm', '-f', '--pod-id-file', idFile])).trim()).toBe(id);
    expect(fs.existsSync(idFile)).toBe(false);
    // Missing pods or files: an error without --ignore, nothing with it.
    const missing = await s.run(['pod', 'stop', '--pod-id-file', idFile]);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/cannot read the pod ID file .*np2\.pod-id/);
    expect(await ok(['pod', 'stop', '--ignore', '--pod-id-file', idFile])).toBe('');
    fs.writeFileSync(idFile, `${id}\n`);
    expect(await ok(['pod', 'rm', '--ignore', '-f', '--pod-id-file', idFile])).toBe('');
    fs.writeFileSync(idFile, `${id}\n`);
    const gone = await s.run(['pod', 'start', '--pod-id-file', idFile]);
    expect(gone.code).toBe(125);
    expect(gone.stderr).toMatch(new RegExp(`no such pod.*${id}|${id}.*not found|not found.*${id}`, 'i'));
    fs.rmSync(idFile);
  });

  it('--exit-policy=stop also after an attached run --rm in the pod, which the CLI itself removes', async () => {
    await ok(['pod', 'create', '--name', 'np5', '--exit-policy', 'stop']);
    const infra = await podInspect('np5', '{{.InfraContainerId}}');
    expect(await ok(['run', '--rm', '--pod', 'np5', 'busybox', 'echo', 'once'])).toBe('once\n');
    await until('the infra to stop', async () => (await inspect(infra, '{{.State.Status}}')) === 'exited');
    expect(await podInspect('np5', '{{.ExitPolicy}} {{.NumContainers}}')).toBe('stop 1');
    await ok(['pod', 'rm', 'np5']);
  });

  it('bad input: --new for a pod not made by pod create, a bad --exit-policy, --pod with --pod-id-file', async () => {
    await ok(['create', '--pod', 'new:np3', '--name', 'np3-a', 'busybox', 'true']);
    const gen = await s.run(['generate', 'systemd', '--new', 'np3']);
    expect(gen.code).toBe(125);
    expect(gen.stderr).toMatch(/does not appear to be made by pod create/);
    await ok(['pod', 'rm', '-f', 'np3']);
    const policy = await s.run(['pod', 'create', '--name', 'np4', '--exit-policy', 'sometimes']);
    expect(policy.code).toBe(125);
    expect(policy.stderr).toMatch(/invalid --exit-policy "sometimes"/);
    expect((await s.run(['pod', 'exists', 'np4'])).code).toBe(1);
    const both = await s.run(['create', '--pod', 'x', '--pod-id-file', '/nonexistent', 'busybox']);
    expect(both.code).toBe(125);
    expect(both.stderr).toMatch(/--pod and --pod-id-file cannot be used together/);
    const noName = await s.run(['pod', 'create', '--replace']);
    expect(noName.code).toBe(125);
    expect(noName.stderr).toMatch(/--replace needs --name/);
  });
});
