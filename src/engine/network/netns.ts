/**
 * A container's network namespace: a file under the run root that the namespace is bind-mounted on
 * (handed to the OCI runtime as the namespace path), with one veth pair per network. Set up in two
 * process spawns in all: `unshare --net=FILE ip -batch -` makes the namespace and configures its side
 * (lo, ethN with its MAC and address, the default route; the veth's peer is created straight in the
 * host namespace), then one `ip -batch -` attaches the peers to their bridges (attachPeers). Unmounting the file
 * destroys the namespace and with it the veths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import { runHostCommand } from './host-command.js';
import { nativeBinary } from '../runtime/native-binary.js';
import { shortHash } from '../util/short-hash.js';

export interface VethSpec {
  /** Interface name inside: eth0, eth1, ... */
  ifname: string;
  /** Host side of the pair. */
  peer: string;
  bridge: string;
  mac: string;
  ip: string;
  prefix: number;
  gateway: string;
  /** Only the first non-internal network gets the default route. */
  defaultRoute: boolean;
}

export function netnsPath(runRoot: string, containerId: string): string {
  return path.join(runRoot, 'netns', `selkie-${containerId.slice(0, 32)}`);
}

/** The host-side name of a container's veth for a network (at most 15 characters). */
export function vethName(containerId: string, network: string): string {
  return `sk${shortHash(`${containerId}\0${network}`, 12)}`;
}

function insideScript(vs: VethSpec[], hostPid: number, withLo: boolean): string {
  const lines = withLo ? ['link set lo up'] : [];
  for (const v of vs) {
    lines.push(`link add ${v.ifname} address ${v.mac} type veth peer name ${v.peer} netns ${hostPid}`);
    lines.push(`addr add ${v.ip}/${v.prefix} dev ${v.ifname}`);
    lines.push(`link set ${v.ifname} up`);
    if (v.defaultRoute) lines.push(`route add default via ${v.gateway} dev ${v.ifname}`);
  }
  return lines.join('\n') + '\n';
}

function hostScript(vs: VethSpec[]): string {
  // hairpin: a container may reach itself through a published port (the packet leaves by the port it came in)
  return vs.map((v) => `link set ${v.peer} master ${v.bridge} up\nlink set ${v.peer} type bridge_slave hairpin on`).join('\n') + '\n';
}

function fail(what: string, stderr: string): SelkieError {
  return new SelkieError('runtime', `${what}: ${stderr.split('\n').slice(0, 3).join(' ')}`, { hint: 'container networking needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)' });
}

/**
 * Make the namespace at `file` with the given interfaces (their host sides not yet on a bridge:
 * attachPeers does that, and may run while the runtime creates the container). On failure nothing
 * is left behind.
 */
export async function createNetns(file: string, vs: VethSpec[]): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, '', { mode: 0o600 });
  try {
    // Without interfaces (slirp4netns adds its own): one small program instead of unshare and ip.
    const inside = vs.length
      ? await runHostCommand(['unshare', `--net=${file}`, 'ip', '-batch', '-'], insideScript(vs, process.pid, true))
      : await runHostCommand([nativeBinary('selkie-mount'), 'netns', file]);
    if (inside.code !== 0) throw fail('cannot set up the container network namespace', inside.stderr);
  } catch (e) {
    await removeNetns(file);
    throw e;
  }
}

/**
 * Adopt the network namespace the runtime made for process `pid` (a container in a user namespace
 * must own its netns, so the runtime creates it): bind it to `file`, like one made by createNetns,
 * and configure its side of the interfaces. On failure nothing is left behind.
 */
export async function adoptNetns(file: string, pid: number, vs: VethSpec[]): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, '', { mode: 0o600 });
  try {
    const bind = await runHostCommand([nativeBinary('selkie-mount'), 'bind', `/proc/${pid}/ns/net`, file]);
    if (bind.code !== 0) throw fail('cannot keep the container network namespace', bind.stderr);
    const inside = await runHostCommand(['nsenter', `--net=${file}`, 'ip', '-batch', '-'], insideScript(vs, process.pid, true));
    if (inside.code !== 0) throw fail('cannot set up the container network namespace', inside.stderr);
  } catch (e) {
    await removeNetns(file);
    throw e;
  }
}

/** Put the host sides of the veths on their bridges and bring them up. */
export async function attachPeers(vs: VethSpec[]): Promise<void> {
  if (!vs.length) return;
  const host = await runHostCommand(['ip', '-batch', '-'], hostScript(vs));
  if (host.code !== 0) throw fail('cannot attach the container to its bridge', host.stderr);
}

/** Add interfaces to an existing namespace (network connect of a running container). */
export async function addInterfaces(file: string, vs: VethSpec[]): Promise<void> {
  const inside = await runHostCommand(['nsenter', `--net=${file}`, 'ip', '-batch', '-'], insideScript(vs, process.pid, false));
  if (inside.code !== 0) throw fail('cannot add the interface in the container network namespace', inside.stderr);
  await attachPeers(vs);
}

/** Remove one interface (network disconnect): deleting the host side deletes the pair. */
export async function removeInterface(peer: string): Promise<void> {
  if (fs.existsSync(`/sys/class/net/${peer}`)) await runHostCommand(['ip', 'link', 'del', peer]);
}

/** Destroy the namespace: unmount and delete its file. Idempotent. */
export async function removeNetns(file: string): Promise<void> {
  if (!fs.existsSync(file)) return;
  await runHostCommand([nativeBinary('selkie-mount'), 'umount', file]);
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // still mounted (busy): a lazy unmount lets it go once unused
    await runHostCommand([nativeBinary('selkie-mount'), 'umount', '--lazy', file]);
    fs.rmSync(file, { force: true });
  }
}
