/**
 * systemd-native start-up: --sdnotify (a NOTIFY_SOCKET listener of the test's own stands in for
 * systemd) and socket activation (Debian's systemd-socket-activate stands in for a .socket unit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';
import { listenNotify, staticNotifySender, type NotifyListener } from '../helpers/notify-socket.js';

let s: SelkieEnv;
let tmp: string;
let listeners: NotifyListener[] = [];
let children: ChildProcess[] = [];
beforeAll(async () => {
  s = await busyboxEnv();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-sd-'));
});
afterEach(async () => {
  listeners.splice(0).forEach((l) => l.close());
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  await s.run(['rm', '-f', '-a']); // a failed test leaves nothing for the next one
});
afterAll(async () => {
  await s.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function listener(): Promise<NotifyListener> {
  const l = await listenNotify();
  listeners.push(l);
  return l;
}

const inspect = async (name: string, format: string) => (await s.run(['inspect', name, '--format', format])).stdout.trim();

describe('--sdnotify', () => {
  it('conmon: READY=1 and MAINPID=<conmon pid> are sent once the container has started', async () => {
    const l = await listener();
    const r = await s.run(['run', '-d', '--name', 'sd-conmon', '--sdnotify=conmon', 'busybox', 'sleep', '30'], { env: { NOTIFY_SOCKET: l.socket } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const msg = await l.waitFor('READY=1');
    const conmonPid = await inspect('sd-conmon', '{{.State.ConmonPid}}');
    expect(Number(conmonPid)).toBeGreaterThan(0);
    expect(msg.split('\n').sort()).toEqual([`MAINPID=${conmonPid}`, 'READY=1']);
    expect(await inspect('sd-conmon', '{{.Config.SdNotifyMode}}')).toBe('conmon');
    // The container itself got no socket.
    const env = await s.run(['exec', 'sd-conmon', 'env']);
    expect(env.stdout).not.toMatch(/NOTIFY_SOCKET/);
    await s.run(['rm', '-f', 'sd-conmon']);
  });

  it("container: the container's own READY=1 travels through conmon; selkie sends MAINPID", async () => {
    const sender = staticNotifySender(tmp);
    const ctl = fs.mkdtempSync(path.join(tmp, 'ctl-'));
    const l = await listener();
    // The container reports ready only when the test says so (a file appears in /ctl).
    const r = await s.run(
      ['run', '-d', '--name', 'sd-ctr', '--sdnotify=container', '-v', `${sender}:/sd-send:ro`, '-v', `${ctl}:/ctl`, 'busybox', 'sh', '-c', 'test "$NOTIFY_SOCKET" = /run/notify/notify.sock || exit 9; /sd-send STATUS=warming; until [ -e /ctl/go ]; do sleep 0.1; done; /sd-send "READY=1"; sleep 30'],
      { env: { NOTIFY_SOCKET: l.socket } },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const conmonPid = await inspect('sd-ctr', '{{.State.ConmonPid}}');
    expect(await l.waitFor('MAINPID=')).toBe(`MAINPID=${conmonPid}`);
    // READY only once the container says so, and only READY: conmon relays no STATUS.
    await new Promise((res) => setTimeout(res, 500));
    expect(l.messages.some((m) => m.includes('READY'))).toBe(false);
    fs.writeFileSync(path.join(ctl, 'go'), '');
    expect(await l.waitFor('READY=1')).toBe('READY=1');
    expect(l.messages.some((m) => m.includes('STATUS'))).toBe(false);
    await s.run(['rm', '-f', 'sd-ctr']);
  });

  it('the default is container with a NOTIFY_SOCKET and ignore without one; ignore sends nothing', async () => {
    const l = await listener();
    expect((await s.run(['create', '--name', 'sd-default', 'busybox', 'true'], { env: { NOTIFY_SOCKET: l.socket } })).code).toBe(0);
    expect(await inspect('sd-default', '{{.Config.SdNotifyMode}}')).toBe('container');
    expect((await s.run(['create', '--name', 'sd-none', 'busybox', 'true'])).code).toBe(0);
    expect(await inspect('sd-none', '{{.Config.SdNotifyMode}}')).toBe('ignore');
    const r = await s.run(['run', '--rm', '--sdnotify=ignore', 'busybox', 'sh', '-c', 'echo "[$NOTIFY_SOCKET]"'], { env: { NOTIFY_SOCKET: l.socket } });
    expect(r.stdout).toBe('[]\n');
    await new Promise((res) => setTimeout(res, 300));
    expect(l.messages).toEqual([]);
    await s.run(['rm', 'sd-default', 'sd-none']);
  });

  it('--sdnotify=container without a NOTIFY_SOCKET, and a bad mode, are one-line errors that create nothing', async () => {
    const r = await s.run(['run', '--rm', '--sdnotify=container', 'busybox', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/--sdnotify=container needs a NOTIFY_SOCKET/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const bad = await s.run(['create', '--sdnotify=sometimes', 'busybox', 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/invalid --sdnotify "sometimes"/);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });
});

/** systemd-socket-activate listening on a free loopback port, running `selkie ARGS` for it. */
async function activate(args: string[], opts: { accept?: boolean } = {}): Promise<{ port: number; output: () => string }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn('systemd-socket-activate', [...(opts.accept ? ['--accept'] : []), '-l', `127.0.0.1:${port}`, '--', selkieBin, ...s.flags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 100 && !out.includes('Listening on'); i++) await new Promise((r) => setTimeout(r, 50));
  return { port, output: () => out };
}

function get(port: number, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 20_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
  });
}

describe('socket activation', () => {
  it('hands the connection systemd accepted to the container as fd 3 with LISTEN_FDS=1, LISTEN_PID=1', async () => {
    const www = fs.mkdtempSync(path.join(tmp, 'www-'));
    fs.writeFileSync(path.join(www, 'index.html'), 'hello from an activated container\n');
    // busybox httpd -i serves one connection on its stdin/stdout (inetd style): the activated fd 3.
    const a = await activate(['run', '--rm', '-v', `${www}:/www:ro`, 'busybox', 'sh', '-c', '[ "$LISTEN_FDS/$LISTEN_PID" = 1/1 ] || exit 7; exec httpd -f -i -h /www <&3 >&3'], { accept: true });
    const r = await get(a.port, '/index.html');
    expect(r.status).toBe(200);
    expect(r.body).toBe('hello from an activated container\n');
    for (let i = 0; i < 100 && !/died with code/.test(a.output()); i++) await new Promise((res) => setTimeout(res, 100));
    expect(a.output()).toMatch(/died with code 0/);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe(''); // --rm did its work
  });

  it('passes the listening socket itself (fd 3, LISTEN_FDNAMES) when systemd does not accept', async () => {
    const a = await activate(['run', '--rm', 'busybox', 'sh', '-c', 'echo "fds=$LISTEN_FDS pid=$LISTEN_PID names=$LISTEN_FDNAMES fd3=$(readlink /proc/self/fd/3 | cut -c1-7)"']);
    // The first connection makes systemd-socket-activate start selkie; the container answers nothing.
    await get(a.port, '/').catch(() => undefined);
    for (let i = 0; i < 150 && !/fds=/.test(a.output()); i++) await new Promise((res) => setTimeout(res, 100));
    expect(a.output()).toMatch(/fds=1 pid=1 names=\S* fd3=socket:/);
  });
});
