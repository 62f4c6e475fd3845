/**
 * Rootless: a real unprivileged user (made by the test, with /etc/subuid and /etc/subgid ranges)
 * runs bin/selkie with no root and no daemon: its own storage and run directory, a user namespace
 * from newuidmap/newgidmap kept by one pause process, images pulled from the fixture registry,
 * containers, exec, logs, pods, published ports through slirp4netns, `unshare`, `system migrate`
 * and `system reset`; and the bad input: no subordinate range, no newuidmap, a stale pause process.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../fixtures/inject.js';
import { createRootlessUser, createRootlessUserWithBusybox, type RootlessUser } from '../helpers/rootless-user.js';

const fx = useFixtures();

let u: RootlessUser;
const users: RootlessUser[] = [];
const extraDirs: string[] = [];
/**
 * Root's default storage, which nothing here may touch: no entry there (two levels deep) belongs to
 * the test user. (Not mtimes: other root processes may use root's storage meanwhile.)
 */
const rootEntriesOf = (uid: number): string[] =>
  ['/var/lib/selkie', '/run/selkie'].flatMap((dir) => {
    const out: string[] = [];
    const walk = (d: string, depth: number) => {
      let names: string[] = [];
      try {
        names = fs.readdirSync(d);
      } catch {
        return;
      }
      for (const n of names) {
        const p = path.join(d, n);
        try {
          const st = fs.lstatSync(p);
          if (st.uid === uid) out.push(p);
          if (depth < 2 && st.isDirectory()) walk(p, depth + 1);
        } catch {
          // gone meanwhile
        }
      }
    };
    walk(dir, 0);
    return out;
  });

const pauseFile = () => path.join(u.runDir, 'pause.pid');
const pausePid = (): number => Number(fs.readFileSync(pauseFile(), 'utf8').split(' ')[0]);
/** The command name of a live process (not of a zombie: PID 1 here may reap late). */
const comm = (pid: number): string | undefined => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))) return undefined;
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
};

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

beforeAll(async () => {
  u = await createRootlessUserWithBusybox(users);
}, 180_000);

afterAll(async () => {
  for (const x of users) await x.cleanup();
  for (const d of extraDirs) fs.rmSync(d, { recursive: true, force: true });
}, 180_000);

describe('rootless selkie', () => {
  it('uses the user storage and run directory, and maps the user namespace from /etc/subuid', async () => {
    const r = await u.run(['info', '--format', '{{.Host.Security.Rootless}}|{{.Store.GraphRoot}}|{{.Store.RunRoot}}|{{.Host.NetworkBackend}}|{{json .Host.IDMappings.UIDMap}}|{{.Store.GraphDriverName}}']);
    expect(r.code, r.stderr).toBe(0);
    const [rootless, graph, run, netTool, uidmap, driver] = r.stdout.trim().split('|');
    expect(driver).toBe('overlay'); // kernel overlayfs with userxattr, in the user's namespace
    expect(rootless).toBe('true');
    expect(graph).toBe(u.graphRoot);
    expect(run).toBe(u.runDir);
    expect(netTool).toBe('slirp4netns');
    const maps = JSON.parse(uidmap!) as { ContainerID: number; HostID: number; Size: number }[];
    expect(maps[0]).toEqual({ ContainerID: 0, HostID: u.uid, Size: 1 });
    const sub = fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${u.name}:`))!.split(':');
    expect(maps[1]).toEqual({ ContainerID: 1, HostID: Number(sub[1]), Size: Number(sub[2]) });
    const json = JSON.parse((await u.run(['info', '--format', 'json'])).stdout) as { host: { idMappings: { gidmap: { host_id: number }[] } } };
    expect(json.host.idMappings.gidmap[0]!.host_id).toBe(Number(fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${u.name}:`))!.split(':')[3]));
    // One pause process holds the namespace; the next command joins it.
    const pid = pausePid();
    expect(comm(pid)).toBe('selkie-pause');
    expect((await u.run(['images', '-q'])).code).toBe(0);
    expect(pausePid()).toBe(pid);
    expect(fs.statSync(path.join(u.graphRoot, 'selkie.db')).uid).toBe(u.uid);
  });

  it('pulls from a registry and lists images', async () => {
    const ref = `${fx.registries.plain.host}/busybox:latest`;
    const p = await u.run(['pull', '-q', '--tls-verify=false', ref], { timeoutMs: 120_000 });
    expect(p.code, p.stderr).toBe(0);
    const imgs = await u.run(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(imgs.stdout.split('\n').sort()).toEqual(expect.arrayContaining([`${fx.registries.plain.host}/busybox:latest`, 'localhost/busybox:latest']));
    // Layers were extracted with in-namespace ownership: root's files are root's inside.
    const r = await u.run(['run', '--rm', ref, 'sh', '-c', 'echo pulled; stat -c %u:%g /bin /etc']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('pulled\n0:0\n0:0\n');
  });

  it('runs --rm as root of the user namespace, with the exit code passed through', async () => {
    const r = await u.run(['run', '--rm', 'busybox', 'sh', '-c', 'id -u; cat /proc/self/uid_map | head -1; exit 3']);
    expect(r.code, r.stderr).toBe(3);
    const [id, map] = r.stdout.trim().split('\n');
    expect(id).toBe('0');
    expect(map!.trim().split(/\s+/)).toEqual(['0', String(u.uid), '1']);
    expect((await u.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('runs detached, lists, execs, shows logs and removes', async () => {
    const d = await u.run(['run', '-d', '--name', 'bg', 'busybox', 'sh', '-c', 'echo started; exec sleep 300']);
    expect(d.code, d.stderr).toBe(0);
    const ps = await u.run(['ps', '--format', '{{.Names}} {{.State}}']);
    expect(ps.stdout).toContain('bg running');
    const ex = await u.run(['exec', 'bg', 'sh', '-c', 'echo from-exec; id -u']);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toBe('from-exec\n0\n');
    const logs = await u.run(['logs', 'bg']);
    expect(logs.stdout).toBe('started\n');
    const rm = await u.run(['rm', '-f', '-t', '0', 'bg']);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await u.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('runs a pod whose containers share its namespaces', async () => {
    expect((await u.run(['pod', 'create', '--name', 'rp'])).code).toBe(0);
    expect((await u.run(['pod', 'start', 'rp'])).code).toBe(0);
    const m = await u.run(['run', '-d', '--pod', 'rp', '--name', 'rpm', 'busybox', 'sleep', '300']);
    expect(m.code, m.stderr).toBe(0);
    const ps = await u.run(['ps', '--pod', '--format', '{{.Names}} {{.PodName}} {{.State}}']);
    expect(ps.stdout).toContain('rpm rp running');
    const host = await u.run(['exec', 'rpm', 'hostname']);
    expect(host.stdout.trim()).toBe('rp');
    const rm = await u.run(['pod', 'rm', '-f', '-t', '0', 'rp']);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await u.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('publishes a port on the host with slirp4netns, and supports --network none and host', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const d = await u.run(['run', '-d', '--name', 'web', '-p', `${port}:80`, 'busybox', 'sh', '-c', 'mkdir /w && echo rootless-web > /w/index.html && exec httpd -f -p 80 -h /w']);
    expect(d.code, d.stderr).toBe(0);
    let body = '';
    for (let i = 0; i < 50 && !body; i++) body = await httpGet(port).catch(async () => (await new Promise((r) => setTimeout(r, 200)), ''));
    expect(body).toBe('rootless-web\n');
    const slirp = u.pids().filter((p) => comm(p) === 'slirp4netns');
    expect(slirp.length).toBe(1);
    expect((await u.run(['rm', '-f', '-t', '0', 'web'])).code).toBe(0);
    // slirp4netns went with the container.
    await new Promise((r) => setTimeout(r, 300));
    expect(slirp.filter((p) => comm(p) === 'slirp4netns')).toEqual([]);
    const none = await u.run(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'ls /sys/class/net']);
    expect(none.stdout.split('\n').filter(Boolean)).toEqual(['lo']);
    const hostNet = await u.run(['run', '--rm', '--network', 'host', 'busybox', 'sh', '-c', 'ls /sys/class/net | grep -c lo']);
    expect(hostNet.code, hostNet.stderr).toBe(0);
    expect(fs.readdirSync('/sys/class/net').length).toBeGreaterThan(0);
  });

  it('refuses resource limits it cannot apply without cgroups', async () => {
    const r = await u.run(['run', '--rm', '--memory', '64m', 'busybox', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/--memory.*rootless/);
    expect(r.stderr.trim().split('\n').length).toBe(1);
    expect((await u.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('unshare runs a command in the user namespace, where files of subordinate IDs can be removed', async () => {
    const data = path.join(u.home, 'data');
    expect((await u.exec(['mkdir', data])).code).toBe(0);
    const r = await u.run(['run', '--rm', '-v', `${data}:/data`, 'busybox', 'sh', '-c', 'mkdir /data/d && touch /data/d/f && chown -R 1000:1000 /data/d && chmod 755 /data/d']);
    expect(r.code, r.stderr).toBe(0);
    const sub = Number(fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${u.name}:`))!.split(':')[1]);
    expect(fs.statSync(path.join(data, 'd', 'f')).uid).toBe(sub + 999);
    // Not the user's own files: it cannot remove them outside the namespace...
    expect((await u.exec(['rm', '-rf', path.join(data, 'd')])).code).not.toBe(0);
    // ...but can inside, as podman unshare allows.
    const ls = await u.run(['unshare', 'stat', '-c', '%u', path.join(data, 'd', 'f')]);
    expect(ls.stdout.trim()).toBe('1000');
    const rm = await u.run(['unshare', 'rm', '-rf', path.join(data, 'd')]);
    expect(rm.code, rm.stderr).toBe(0);
    expect(fs.existsSync(path.join(data, 'd'))).toBe(false);
    expect((await u.run(['unshare', 'sh', '-c', 'exit 7'])).code).toBe(7);
  });

  it('replaces a stale pause process: a dead pid, or a pid now used by another process', async () => {
    const old = pausePid();
    process.kill(old, 'SIGKILL');
    for (let i = 0; i < 50 && comm(old) === 'selkie-pause'; i++) await new Promise((r) => setTimeout(r, 20));
    let r = await u.run(['images', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const next = pausePid();
    expect(next).not.toBe(old);
    expect(comm(next)).toBe('selkie-pause');
    // pid reuse: the file names a live process that is not the pause process (this test's own).
    const stat = fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    process.kill(next, 'SIGKILL');
    fs.writeFileSync(pauseFile(), `${process.pid} ${start}\n`);
    r = await u.run(['images', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const third = pausePid();
    expect(third).not.toBe(process.pid);
    expect(comm(third)).toBe('selkie-pause');
  });

  it('system migrate stops the pause process; without newuidmap the next command says which package', async () => {
    const old = pausePid();
    expect((await u.run(['system', 'migrate'])).code).toBe(0);
    expect(fs.existsSync(pauseFile())).toBe(false);
    expect(comm(old)).not.toBe('selkie-pause');
    // A PATH with node but no newuidmap.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-nouidmap-'));
    extraDirs.push(bin);
    fs.chmodSync(bin, 0o755);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = await u.run(['images'], { env: { PATH: bin } });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/newuidmap is not installed.*uidmap package/);
    expect(r.stderr.trim().split('\n').length).toBe(1);
    const ok = await u.run(['images', '-q']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(comm(pausePid())).toBe('selkie-pause');
  });

  it('tells a user with no subordinate range what to add to /etc/subuid', async () => {
    const v = createRootlessUser();
    users.push(v);
    v.dropSubids();
    const r = await v.run(['images']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('/etc/subuid');
    expect(r.stderr).toContain(`usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${v.name}`);
    expect(fs.existsSync(path.join(v.runDir, 'pause.pid'))).toBe(false);
    expect(v.pids()).toEqual([]);
  });

  it('system reset -f removes the user storage and nothing of root', async () => {
    const r = await u.run(['system', 'reset', '-f']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(u.graphRoot)).toBe(false);
    expect(fs.existsSync(pauseFile())).toBe(false);
    expect((await u.run(['images', '-q'])).stdout).toBe('');
    expect(rootEntriesOf(u.uid)).toEqual([]);
  });
});
