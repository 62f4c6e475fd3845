/**
 * A real Cockpit for end-to-end tests (see shared/cockpit-testing.md): a private D-Bus session bus,
 * cockpit-ws with a local session on 127.0.0.1 and a free port, a temp HOME whose
 * ~/.local/share/cockpit/selkie holds the built plugin (dist/ui) with its bridge pointed at a
 * private engine root, and headless Chromium through playwright-core. Everything is stopped by the
 * PIDs this module started, and the temp directories removed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repo } from '../helpers/selkie-cli.js';

export const cockpitWs = '/usr/lib/cockpit/cockpit-ws';
export const cockpitBridge = '/usr/bin/cockpit-bridge';
export const chromiumPath = '/usr/bin/chromium';
export const dbusDaemon = '/usr/bin/dbus-daemon';
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the end-to-end test cannot run here, or undefined when it can. */
export function missingForE2e(): string | undefined {
  const missing = [cockpitWs, cockpitBridge, chromiumPath, dbusDaemon, '/usr/share/cockpit/base1'].filter((p) => !fs.existsSync(p));
  if (missing.length) return `not installed: ${missing.join(', ')} (npm test's setup installs cockpit-ws cockpit-bridge cockpit-system chromium dbus-daemon)`;
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function stopProcess(child: ChildProcess | undefined, group: boolean): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = (sig: NodeJS.Signals) => {
    try {
      if (group) process.kill(-child.pid!, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface CockpitSession {
  port: number;
  /** The plugin page outside Cockpit's shell. */
  pageUrl: string;
  home: string;
  stop(): Promise<void>;
}

export interface CockpitOptions {
  /** Arguments for the bridge (--root/--runroot of a private engine). */
  bridgeArgs: string[];
  /** The built plugin to install (default: dist/ui), e.g. another build to compare with. */
  uiDir?: string;
  log?: (msg: string) => void;
}

export async function startCockpit(opts: CockpitOptions): Promise<CockpitSession> {
  const uiDir = opts.uiDir ?? path.join(repo, 'dist/ui');
  if (!fs.existsSync(path.join(uiDir, 'index.html'))) throw new Error('dist/ui is not built: run npm run build:ui');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-cockpit-'));
  let dbus: ChildProcess | undefined;
  let ws: ChildProcess | undefined;
  const stop = async () => {
    await stopProcess(ws, true);
    await stopProcess(dbus, false);
    fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    // The plugin, as a user package of the temp HOME, its bridge on the private engine.
    const pkg = path.join(home, '.local/share/cockpit/selkie');
    fs.mkdirSync(path.dirname(pkg), { recursive: true });
    fs.cpSync(uiDir, pkg, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(uiDir, 'selkie-config.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(pkg, 'selkie-config.json'), JSON.stringify({ ...config, bridgeArgs: opts.bridgeArgs }));

    dbus = spawn(dbusDaemon, ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      dbus!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0].trim());
      });
      dbus!.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before printing its address`)));
    });

    const port = await freePort();
    const runtimeDir = path.join(home, 'run');
    fs.mkdirSync(runtimeDir, { mode: 0o700 });
    ws = spawn(cockpitWs, ['--no-tls', `--local-session=${cockpitBridge}`, '-p', String(port), '-a', '127.0.0.1'], {
      env: { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, '.local/share'), XDG_RUNTIME_DIR: runtimeDir, DBUS_SESSION_BUS_ADDRESS: address },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const wsLog = path.join(home, 'cockpit-ws.log');
    ws.stdout!.on('data', (d: Buffer) => fs.appendFileSync(wsLog, d));
    ws.stderr!.on('data', (d: Buffer) => fs.appendFileSync(wsLog, d));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (ws.exitCode !== null) throw new Error(`cockpit-ws exited (${ws.exitCode}): ${fs.existsSync(wsLog) ? fs.readFileSync(wsLog, 'utf8') : ''}`);
      try {
        const r = await fetch(`${base}/cockpit/@localhost/manifests.json`);
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('cockpit-ws did not answer within 20 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    opts.log?.(`cockpit-ws on ${base} (pid ${ws.pid}), D-Bus pid ${dbus.pid}`);
    return { port, pageUrl: `${base}/cockpit/@localhost/selkie/index.html`, home, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
