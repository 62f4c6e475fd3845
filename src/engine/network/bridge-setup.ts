/**
 * The host side of a bridge network, made on first use (after a reboot the bridge is gone and is
 * made again): the Linux bridge with the gateway address, forwarding and route_localnet sysctls
 * (written through /proc, no process), and the nft table with the network's elements.
 * Several CLIs may do this at once; `ip -force` lets the losers of that race carry on.
 */
import fs from 'node:fs';
import { SelkieError } from '../errors.js';
import { runHostCommand } from './host-command.js';
import { applyNft, networkElements, tableScript } from './nft-rules.js';
import type { NetworkRecord } from './network-record.js';

export function bridgeExists(bridge: string): boolean {
  return fs.existsSync(`/sys/class/net/${bridge}`);
}

function writeSysctl(p: string, value: string): void {
  try {
    if (fs.readFileSync(p, 'utf8').trim() !== value) fs.writeFileSync(p, value);
  } catch {
    // not fatal: the kernel may not have it (route_localnet without IPv4 on the bridge yet)
  }
}

export async function ensureBridge(n: NetworkRecord): Promise<void> {
  if (bridgeExists(n.bridge)) return;
  const prefix = n.subnet.split('/')[1];
  const script = [`link add ${n.bridge} type bridge`, `addr add ${n.gateway}/${prefix} dev ${n.bridge}`, `link set ${n.bridge} up`].join('\n');
  const r = await runHostCommand(['ip', '-force', '-batch', '-'], script + '\n');
  const real = r.stderr.split('\n').filter((l) => l && !/File exists|Command failed|already assigned/.test(l));
  if (!bridgeExists(n.bridge) || (r.code !== 0 && real.length)) {
    throw new SelkieError('runtime', `cannot create bridge ${n.bridge} for network ${n.name}: ${real.join(' ') || r.stderr}`, { hint: 'network setup needs root (CAP_NET_ADMIN)' });
  }
  writeSysctl('/proc/sys/net/ipv4/ip_forward', '1');
  writeSysctl(`/proc/sys/net/ipv4/conf/${n.bridge}/route_localnet`, '1');
  await applyNft(`${tableScript()}\n${networkElements(n, 'add')}`, `setting up the firewall rules of network ${n.name}`);
}

/** Remove the bridge and the network's nft elements (network rm). Missing pieces are fine. */
export async function removeBridge(n: NetworkRecord): Promise<void> {
  await runHostCommand(['nft', '-f', '-'], networkElements(n, 'delete') + '\n');
  if (bridgeExists(n.bridge)) await runHostCommand(['ip', 'link', 'del', n.bridge]);
}
