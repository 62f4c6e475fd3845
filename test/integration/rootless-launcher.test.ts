/**
 * The native launcher (bin/selkie → build/native/selkie, native/conmon/selkie-launcher.c): a rootless
 * command enters the user namespace in C and starts Node once — the pid a shell or systemd started is
 * the Node that runs the command, so exit codes, signals, LISTEN_FDS/LISTEN_PID and the argv[1] the CLI
 * shows pass through with no parent in between. Help and version need no namespace. Its errors (no
 * CLI script next to it, no node on PATH), and the JavaScript path for dist/cli/selkie.cjs run
 * directly (selkie-userns and a second Node), with its missing-helper error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, MessageDecoder } from '../../src/engine/varlink/codec.js';
import { listenNotify, type NotifyListener } from '../helpers/notify-socket.js';
import { createRootlessUser, createRootlessUserWithBusybox, type RootlessUser } from '../helpers/rootless-user.js';
import { repo, selkieBin } from '../helpers/selkie-cli.js';

const launcher = path.join(repo, 'build', 'native', 'selkie');
const script = path.join(repo, 'dist', 'cli', 'selkie.cjs');

let u: RootlessUser;
const users: RootlessUser[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];
const listeners: NotifyListener[] = [];

/** Fields of /proc/PID/stat after the command name: [state, ppid, ...]. */
const statFields = (pid: number): string[] => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

/** A long-running program as the user (runuser, clean environment), killed at the end. */
function spawnAs(user: RootlessUser, argv: string[]): ChildProcess {
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: user.home, USER: user.name, LANG: 'C.UTF-8' };
  const child = spawn('runuser', ['-u', user.name, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: '/',
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  u = await createRootlessUserWithBusybox(users);
}, 180_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const l of listeners) l.close();
  for (const x of users) await x.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}, 180_000);

describe('the native launcher, rootless', () => {
  it('bin/selkie is the launcher, and a rootless command is one Node process: the pid its shell started', async () => {
    expect(fs.realpathSync(selkieBin)).toBe(launcher);
    // The shell starts selkie in the background: $! is the pid it forked; the command's parent must be that very pid, and Node.
    const r = await u.exec([
      'sh',
      '-c',
      `${selkieBin} unshare sh -c 'echo "parent=$PPID comm=$(cat /proc/$PPID/comm) uid=$(id -u)"; exit 42' & p=$!; wait $p; echo "status=$? started=$p"`,
    ]);
    const parent = /parent=(\d+) comm=(\S+) uid=(\d+)/.exec(r.stdout);
    const started = /status=(\d+) started=(\d+)/.exec(r.stdout);
    expect(parent, r.stdout + r.stderr).not.toBeNull();
    expect(started, r.stdout + r.stderr).not.toBeNull();
    expect(parent![1]).toBe(started![2]);
    expect(parent![2]).toBe('node');
    expect(parent![3]).toBe('0'); // root of the user's namespace
    expect(started![1]).toBe('42');
  });

  it('passes a signal that kills Node straight to the caller', async () => {
    const r = await u.exec(['sh', '-c', `${selkieBin} unshare sh -c 'kill -TERM $PPID; sleep 1' & p=$!; wait $p; echo "status=$?"`]);
    expect(r.stdout).toContain('status=143');
    const k = await u.exec(['sh', '-c', `${selkieBin} unshare sh -c 'kill -KILL $PPID; sleep 1' & p=$!; wait $p; echo "status=$?"`]);
    expect(k.stdout).toContain('status=137');
  });

  it('sets the real IDs, HOME and USER for the run inside, and keeps the path it was run by as argv[1]', async () => {
    const r = await u.exec(['env', '-u', 'HOME', '-u', 'USER', selkieBin, 'unshare', 'sh', '-c', 'echo "$_SELKIE_USERNS_UID/$_SELKIE_USERNS_GID $HOME $USER launched=${_SELKIE_LAUNCHED_AS:-unset}"']);
    expect(r.code, r.stderr).toBe(0);
    const gid = Number(spawnSync('id', ['-g', u.name], { encoding: 'utf8' }).stdout.trim());
    // HOME and USER come from the passwd entry when unset; the launcher's marker does not reach children.
    expect(r.stdout.trim()).toBe(`${u.uid}/${gid} ${u.home} ${u.name} launched=unset`);
    // What a #! script saw as argv[1]: the command as run (bin/selkie), not the script behind it.
    const c = await u.run(['create', '--name', 'cc', 'busybox', 'true']);
    expect(c.code, c.stderr).toBe(0);
    const cmd = await u.run(['container', 'inspect', '--format', '{{json .Config.CreateCommand}}', 'cc']);
    expect(JSON.parse(cmd.stdout)).toEqual([selkieBin, 'create', '--name', 'cc', 'busybox', 'true']);
    expect((await u.run(['rm', 'cc'])).code).toBe(0);
  });

  it('runs conmon\'s exit command (selkie container cleanup) rootless: a detached --rm container removes itself', async () => {
    const d = await u.run(['run', '-d', '--rm', '--network', 'none', 'busybox', 'true']);
    expect(d.code, d.stderr).toBe(0);
    let left = 'x';
    for (let i = 0; i < 100 && left; i++) {
      left = (await u.run(['ps', '-a', '-q'])).stdout.trim();
      if (left) await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe('');
  });

  it('hands socket-activated fds to the container (LISTEN_PID is Node\'s own pid)', async () => {
    const www = path.join(u.home, 'www');
    expect((await u.exec(['sh', '-c', `mkdir -p ${www} && echo activated-rootless > ${www}/index.html`])).code).toBe(0);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const act = spawnAs(u, [
      'systemd-socket-activate', '--accept', '-l', `127.0.0.1:${port}`, '--',
      selkieBin, 'run', '--rm', '--network', 'none', '-v', `${www}:/www:ro`, 'busybox', 'sh', '-c', '[ "$LISTEN_FDS/$LISTEN_PID" = 1/1 ] || exit 7; exec httpd -f -i -h /www <&3 >&3',
    ]);
    let out = '';
    act.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    act.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 100 && !out.includes('Listening on'); i++) await new Promise((r) => setTimeout(r, 50));
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/index.html', timeout: 30_000 }, (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d.toString()));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`timed out: ${out}`)));
    });
    expect(body).toBe('activated-rootless\n');
    for (let i = 0; i < 100 && !/died with code/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/died with code 0/);
    expect((await u.run(['ps', '-a', '-q'])).stdout).toBe('');
  }, 60_000);

  it('sends READY and MAINPID to the NOTIFY_SOCKET of the caller (--sdnotify=conmon)', async () => {
    const l = await listenNotify();
    listeners.push(l);
    fs.chmodSync(path.dirname(l.socket), 0o755); // the socket itself is 0777: the user may send to it
    const r = await u.run(['run', '-d', '--name', 'sdn', '--sdnotify=conmon', '--network', 'none', 'busybox', 'sleep', '30'], { env: { NOTIFY_SOCKET: l.socket } });
    expect(r.code, r.stderr).toBe(0);
    const msg = await l.waitFor('READY=1');
    const conmonPid = (await u.run(['container', 'inspect', '--format', '{{.State.ConmonPid}}', 'sdn'])).stdout.trim();
    expect(msg.split('\n').sort()).toEqual([`MAINPID=${conmonPid}`, 'READY=1']);
    expect((await u.run(['rm', '-f', '-t', '0', 'sdn'])).code).toBe(0);
  }, 60_000);

  it('relays varlink through `varlink bridge`, starting the user\'s service with Node on the CLI script', async () => {
    const bridge = spawnAs(u, [selkieBin, 'varlink', 'bridge', '--timeout', '1']);
    const decoder = new MessageDecoder();
    const replies: Record<string, unknown>[] = [];
    let err = '';
    bridge.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    bridge.stdin!.write(encodeMessage({ method: 'io.selkie.Version' }));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no reply through the bridge: ${err}`)), 30_000);
      bridge.stdout!.on('data', (d: Buffer) => {
        decoder.push(d);
        for (let m = decoder.next(); m; m = decoder.next()) replies.push(m);
        if (replies.length === 1) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    bridge.stdin!.end();
    expect(await new Promise((r) => bridge.once('exit', r))).toBe(0);
    expect((replies[0]!.parameters as { version: { Engine: { Version: string } } }).version.Engine.Version).toMatch(/^\d/);
  }, 60_000);

  it('runs help and version without the namespace, even for a user with no subordinate range', async () => {
    const v = createRootlessUser();
    users.push(v);
    v.dropSubids();
    const version = await v.run(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^selkie version \d/);
    const help = await v.run(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage');
    expect(fs.existsSync(path.join(v.runDir, 'pause.pid'))).toBe(false);
    // Any other command needs the namespace: the clear error, from the launcher, with nothing started.
    const r = await v.run(['ps']);
    expect(r.code).toBe(125);
    expect(r.stderr.trim()).toBe(
      `Error: user ${v.name} has no subordinate UID range in /etc/subuid, which rootless containers need: add one as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${v.name}`,
    );
    expect(v.pids()).toEqual([]);
  });
});

describe('dist/cli/selkie.cjs run directly (the JavaScript path)', () => {
  it('re-runs itself in the namespace through selkie-userns', async () => {
    const r = await u.exec([script, 'unshare', 'sh', '-c', 'echo "uid=$(id -u) parent=$(cat /proc/$PPID/comm) grandparent=$(cat /proc/$(cut -d" " -f4 /proc/$PPID/stat)/comm)"']);
    expect(r.code, r.stderr).toBe(0);
    // Node, started by selkie-userns's exec, under the first Node that waits for it.
    expect(r.stdout.trim()).toBe('uid=0 parent=node grandparent=node');
  });

  it('says which helper is missing and how to build it', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-nohelper-'));
    dirs.push(empty);
    fs.chmodSync(empty, 0o755);
    const r = await u.exec([script, 'images'], { env: { SELKIE_NATIVE_DIR: empty } });
    expect(r.code).toBe(125);
    expect(r.stderr.trim()).toMatch(new RegExp(`^Error: cannot start Selkie's rootless helper ${empty}/selkie-userns: .*ENOENT.*npm run build`));
  });
});

describe('launcher errors', () => {
  it('finds the CLI relative to itself, and says when it is not there', () => {
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-launcher-'));
    dirs.push(tree);
    fs.mkdirSync(path.join(tree, 'build', 'native'), { recursive: true });
    fs.copyFileSync(launcher, path.join(tree, 'build', 'native', 'selkie'));
    fs.chmodSync(path.join(tree, 'build', 'native', 'selkie'), 0o755);
    const missing = spawnSync(path.join(tree, 'build', 'native', 'selkie'), ['--version'], { encoding: 'utf8' });
    expect(missing.status).toBe(125);
    expect(missing.stderr.trim()).toMatch(new RegExp(`^Error: the Selkie CLI ${tree}/dist/cli/selkie.cjs is missing \\(.*\\): build it with npm run build$`));
    // Through a symlink to it (as bin/selkie is): still its own tree.
    fs.symlinkSync(path.join(repo, 'dist'), path.join(tree, 'dist'));
    fs.mkdirSync(path.join(tree, 'bin'));
    fs.symlinkSync('../build/native/selkie', path.join(tree, 'bin', 'selkie'));
    const ok = spawnSync(path.join(tree, 'bin', 'selkie'), ['--version'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^selkie version \d/);
  });

  it('says when node is not on PATH (exit 127, as env(1) did)', () => {
    const r = spawnSync(selkieBin, ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    expect(r.status).toBe(127);
    expect(r.stderr.trim()).toBe('Error: cannot run node for Selkie: No such file or directory: it is not on PATH (Selkie needs Node.js 20 or later)');
  });
});
