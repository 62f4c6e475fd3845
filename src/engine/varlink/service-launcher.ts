/**
 * Reaching the local varlink service, starting it when nothing listens: what `selkie varlink bridge`
 * (run by ssh for a remote CLI) and the Cockpit bridge both do. A service started here runs
 * `selkie system service --varlink --timeout N ADDRESS` detached, so it outlives its starter and
 * exits by itself once idle; its stderr goes to ADDRESS's directory (`varlink-service.log`), which
 * is where an early failure is read back from.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import { formatVarlinkAddress, type VarlinkAddress } from './address.js';

/** The standard socket of the engine whose run state is in RUNROOT. */
export function defaultServiceAddress(runRoot: string): VarlinkAddress & { kind: 'unix' } {
  return { kind: 'unix', path: path.join(runRoot, 'io.podman') };
}

export interface ServiceStart {
  /** The selkie CLI script (dist/cli/selkie.cjs) and Node's arguments to run it. */
  script: string;
  execArgv?: string[];
  /** Global options for the engine the service serves (--root, --runroot, --storage-driver, ...). */
  globals?: string[];
  /** Idle timeout of the started service, in seconds. */
  timeoutSeconds: number;
  /** How long to wait for the started service to listen. */
  waitMs?: number;
  debug?: (msg: string) => void;
}

export function connectVarlinkSocket(a: VarlinkAddress): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = a.kind === 'unix' ? net.connect({ path: a.path }) : net.connect({ host: a.host, port: a.port });
    s.once('error', reject);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

/** A connected socket to the service at `address`; when nothing listens on a unix path, the service is started first. */
export async function connectOrStartService(address: VarlinkAddress, start: ServiceStart): Promise<net.Socket> {
  try {
    return await connectVarlinkSocket(address);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (address.kind !== 'unix' || (code !== 'ENOENT' && code !== 'ECONNREFUSED')) {
      throw new SelkieError('runtime', `cannot connect to the selkie service at ${formatVarlinkAddress(address)}: ${(e as Error).message}`, {
        hint: 'check the address and that the service is running there (selkie system service --varlink)',
      });
    }
  }
  const exited = startService(address, start);
  return connectWithin(address, start.waitMs ?? 15_000, exited);
}

interface Exit {
  code: number | null;
  log: string;
}

/** Starts the service detached; the promise settles only if it exits (or cannot be run). */
function startService(address: VarlinkAddress & { kind: 'unix' }, start: ServiceStart): Promise<Exit> {
  const dir = path.dirname(address.path);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const logFile = path.join(dir, 'varlink-service.log');
  const log = fs.openSync(logFile, 'w', 0o600);
  const argv = [...(start.execArgv ?? []), start.script, ...(start.globals ?? []), 'system', 'service', '--varlink', '--timeout', String(start.timeoutSeconds), formatVarlinkAddress(address)];
  const child = spawn(process.execPath, argv, { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  start.debug?.(`started the varlink service (pid ${child.pid}) on ${formatVarlinkAddress(address)}`);
  const exited = new Promise<Exit>((resolve) => {
    const tail = () => {
      try {
        return fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      } catch {
        return '';
      }
    };
    child.once('error', (e) => resolve({ code: null, log: e.message }));
    child.once('exit', (code) => resolve({ code, log: tail() }));
  });
  child.unref();
  return exited;
}

async function connectWithin(a: VarlinkAddress, ms: number, exited: Promise<Exit>): Promise<net.Socket> {
  let early: Exit | undefined;
  void exited.then((x) => (early = x));
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await connectVarlinkSocket(a);
    } catch (e) {
      // A service that exited may have lost the race to another starter: one more try, then its log.
      if (early || Date.now() > deadline) {
        if (early) {
          const again = await connectVarlinkSocket(a).catch(() => undefined);
          if (again) return again;
        }
        const why = early ? `it exited${early.code !== null ? ` with code ${early.code}` : ''}${early.log ? `: ${early.log}` : ''}` : (e as Error).message;
        throw new SelkieError('runtime', `the varlink service at ${formatVarlinkAddress(a)} did not start: ${why}`, {
          hint: 'run it by hand to see why: selkie --log-level debug system service --varlink',
        });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
