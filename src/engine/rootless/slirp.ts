/**
 * Rootless networking with slirp4netns (Debian's slirp4netns package): the container gets its own
 * network namespace (made here, bind-mounted on RUNROOT/netns/selkie-ID like root's, owned by the
 * user's namespace) with a tap device that slirp4netns connects to the host's network in user
 * space: 10.0.2.100/24, gateway 10.0.2.2, DNS 10.0.2.3. Published ports (`-p 8080:80`) are
 * forwarded by slirp4netns itself (`add_hostfwd` on its API socket), so they listen on the host.
 * slirp4netns outlives the CLI (run -d) and is stopped at teardown (pid file RUNROOT/slirp4netns/ID.pid).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SelkieError, missingTool } from '../errors.js';
import { createNetns, netnsPath, removeNetns } from '../network/netns.js';
import type { PortMapping } from '../network/port-mappings.js';
import { which } from '../util/which.js';

export const SLIRP_CONTAINER_IP = '10.0.2.100';
export const SLIRP_GATEWAY = '10.0.2.2';
export const SLIRP_DNS = '10.0.2.3';
const MTU = 65520;

export function slirpAvailable(): boolean {
  return Boolean(which('slirp4netns'));
}

function stateDir(runRoot: string): string {
  return path.join(runRoot, 'slirp4netns');
}

const pidFile = (runRoot: string, id: string) => path.join(stateDir(runRoot), `${id}.pid`);
const apiSocket = (runRoot: string, id: string) => path.join(stateDir(runRoot), `${id.slice(0, 32)}.sock`);

/** The namespace (after clearing a run never torn down: a killed CLI's slirp4netns and namespace). */
async function prepareNamespace(runRoot: string, id: string): Promise<void> {
  await teardownSlirp(runRoot, id);
  fs.mkdirSync(stateDir(runRoot), { recursive: true, mode: 0o700 });
  await createNetns(netnsPath(runRoot, id), []);
}

/** slirp4netns on the namespace, then the ports. On failure nothing is left (namespace included). */
async function connectNamespace(runRoot: string, id: string, ports: readonly PortMapping[]): Promise<void> {
  const bin = which('slirp4netns');
  if (!bin) throw missingTool('slirp4netns', 'slirp4netns');
  try {
    const sock = apiSocket(runRoot, id);
    fs.rmSync(sock, { force: true });
    const pid = await startSlirp(bin, netnsPath(runRoot, id), sock);
    fs.writeFileSync(pidFile(runRoot, id), `${pid}\n`, { mode: 0o600 });
    for (const p of ports) await addHostfwd(sock, p);
  } catch (e) {
    await teardownSlirp(runRoot, id);
    throw e;
  }
}

function startSlirp(bin: string, nsFile: string, sock: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // --ready-fd: slirp4netns writes "1" once the tap device is configured.
    const args = ['--configure', `--mtu=${MTU}`, '--disable-host-loopback', '--enable-ipv6', '--netns-type=path', `--api-socket=${sock}`, '--ready-fd=3', nsFile, 'tap0'];
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      child.stderr!.destroy();
      (child.stdio[3] as net.Socket | null)?.destroy();
      child.unref();
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve(child.pid!);
    };
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    (child.stdio[3] as net.Socket).on('data', () => finish());
    child.on('error', (e) => finish(e));
    child.on('exit', (code) =>
      finish(new SelkieError('runtime', `slirp4netns exited (${code}) before the container network was ready: ${stderr.trim().split('\n').slice(-2).join(' ')}`, {
        hint: 'check that /dev/net/tun exists, or use --network none or host',
      })),
    );
    setTimeout(() => finish(new SelkieError('runtime', 'slirp4netns did not get ready within 10 s', { hint: 'use --network none or host' })), 10_000).unref();
  });
}

/** One request on slirp4netns's API socket (one JSON object each way). */
function slirpApi(sock: string, request: object): Promise<{ return?: unknown; error?: { desc?: string } }> {
  return new Promise((resolve, reject) => {
    const c = net.createConnection(sock);
    let data = '';
    c.on('connect', () => c.end(JSON.stringify(request)));
    c.on('data', (d: Buffer) => (data += d.toString()));
    c.on('error', reject);
    c.on('close', () => {
      try {
        resolve(JSON.parse(data) as { return?: unknown; error?: { desc?: string } });
      } catch {
        reject(new SelkieError('runtime', `slirp4netns answered its API request with "${data.slice(0, 200)}"`));
      }
    });
  });
}

async function addHostfwd(sock: string, p: PortMapping): Promise<void> {
  const r = await slirpApi(sock, {
    execute: 'add_hostfwd',
    arguments: { proto: p.protocol, host_addr: p.hostIp || '0.0.0.0', host_port: p.hostPort, guest_addr: SLIRP_CONTAINER_IP, guest_port: p.containerPort },
  });
  if (r.error) {
    throw new SelkieError('conflict', `cannot publish host port ${p.hostIp || '0.0.0.0'}:${p.hostPort}/${p.protocol}: ${r.error.desc ?? 'refused by slirp4netns'}`, {
      hint: 'choose another host port (ports below 1024 need net.ipv4.ip_unprivileged_port_start lowered)',
    });
  }
}

/** Stop slirp4netns (checked to be one, not a reused pid) and destroy the namespace. Idempotent. */
export async function teardownSlirp(runRoot: string, id: string): Promise<void> {
  const pf = pidFile(runRoot, id);
  let pid = 0;
  try {
    pid = Number(fs.readFileSync(pf, 'utf8').trim());
  } catch {
    // none
  }
  if (pid > 0) {
    let comm = '';
    try {
      comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // gone
    }
    if (comm === 'slirp4netns') {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  fs.rmSync(pf, { force: true });
  fs.rmSync(apiSocket(runRoot, id), { force: true });
  await removeNetns(netnsPath(runRoot, id));
}

/** The default network of a rootless container: slirp4netns when it is installed and /dev/net/tun usable, else none. */
export function rootlessDefaultNetwork(): 'slirp4netns' | 'none' {
  if (!slirpAvailable()) return 'none';
  try {
    fs.accessSync('/dev/net/tun', fs.constants.R_OK | fs.constants.W_OK);
    return 'slirp4netns';
  } catch {
    return 'none';
  }
}

/**
 * One run's slirp4netns network, in the shape of ContainerNetworking.setup's result: the namespace
 * path and /etc entries are known at once; `nsReady` settles once the namespace exists (the runtime
 * may join it), `ready` once slirp4netns runs and the ports are published (the container may start).
 */
export function slirpNetworkRun(
  runRoot: string,
  c: { id: string; name: string; config: { hostname: string } },
  ports: readonly PortMapping[],
  dnsGiven: boolean,
): { namespace: { path: string }; hostEntries: string[]; nameservers?: string[]; nsReady: Promise<unknown>; ready: Promise<unknown> } {
  if (!slirpAvailable()) throw missingTool('slirp4netns', 'slirp4netns');
  // The runtime may create the container once the namespace exists; slirp4netns starts meanwhile.
  const nsReady = prepareNamespace(runRoot, c.id);
  const ready = nsReady.then(() => connectNamespace(runRoot, c.id, ports));
  nsReady.catch(() => {});
  ready.catch(() => {});
  return {
    nsReady,
    namespace: { path: netnsPath(runRoot, c.id) },
    hostEntries: [`${SLIRP_CONTAINER_IP}\t${c.config.hostname} ${c.name}`, `${SLIRP_GATEWAY}\thost.containers.internal`],
    ...(dnsGiven ? {} : { nameservers: [SLIRP_DNS] }),
    ready,
  };
}
