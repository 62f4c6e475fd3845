/**
 * Selkie's nftables rules: one table `ip selkie`, set up once, whose rules never change per container.
 * Per-network and per-container state lives in sets and maps, so a container without published ports
 * costs no nft call at all and one with ports costs one `nft -f -` each way:
 *   masq_nets         subnets whose traffic leaving them is masqueraded (not internal networks)
 *   internal_bridges  bridges of --internal networks: nothing is forwarded in or out
 *   ports_any/ports_ip  published ports (proto . port, or host IP . proto . port) → container IP . port
 * DNAT happens in prerouting (from outside) and output (from the host itself, 127.0.0.1 included:
 * the bridge gets route_localnet=1 and such connections are masqueraded, as netavark does).
 */
import { conflict } from '../errors.js';
import { mustRun, runHostCommand } from './host-command.js';
import type { PortMapping } from './port-mappings.js';

export const NFT_TABLE = 'selkie';
const T = `ip ${NFT_TABLE}`;

/** Idempotent: creates what is missing, rewrites the fixed rules, keeps every set's elements. */
export function tableScript(): string {
  const dnat = [
    `meta l4proto { tcp, udp } fib daddr type local dnat ip to ip daddr . meta l4proto . th dport map @ports_ip`,
    `meta l4proto { tcp, udp } fib daddr type local dnat ip to meta l4proto . th dport map @ports_any`,
  ];
  return [
    `add table ${T}`,
    `add chain ${T} prerouting { type nat hook prerouting priority dstnat; policy accept; }`,
    `add chain ${T} output { type nat hook output priority -100; policy accept; }`,
    `add chain ${T} postrouting { type nat hook postrouting priority srcnat; policy accept; }`,
    `add chain ${T} forward { type filter hook forward priority filter; policy accept; }`,
    `add set ${T} masq_nets { type ipv4_addr; flags interval; }`,
    `add set ${T} internal_bridges { type ifname; }`,
    `add map ${T} ports_any { type inet_proto . inet_service : ipv4_addr . inet_service; }`,
    `add map ${T} ports_ip { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }`,
    ...['prerouting', 'output', 'postrouting', 'forward'].map((c) => `flush chain ${T} ${c}`),
    ...dnat.map((r) => `add rule ${T} prerouting ${r}`),
    ...dnat.map((r) => `add rule ${T} output ${r}`),
    `add rule ${T} postrouting ct status dnat ip saddr 127.0.0.0/8 masquerade`,
    `add rule ${T} postrouting ip saddr @masq_nets ip daddr != @masq_nets masquerade`,
    // hairpin: a container reaching a published port (of itself or a neighbour) through a host address
    `add rule ${T} postrouting ct status dnat ip saddr @masq_nets ip daddr @masq_nets masquerade`,
    `add rule ${T} forward iifname @internal_bridges drop`,
    `add rule ${T} forward oifname @internal_bridges drop`,
  ].join('\n');
}

/** Lines that register a network: masquerade its subnet, or isolate its bridge when internal. */
export function networkElements(n: { subnet: string; bridge: string; internal: boolean }, op: 'add' | 'delete'): string {
  return n.internal ? `${op} element ${T} internal_bridges { "${n.bridge}" }` : `${op} element ${T} masq_nets { ${n.subnet} }`;
}

function portKey(p: PortMapping): { map: string; key: string } {
  return p.hostIp ? { map: 'ports_ip', key: `${p.hostIp} . ${p.protocol} . ${p.hostPort}` } : { map: 'ports_any', key: `${p.protocol} . ${p.hostPort}` };
}

/** `create` fails when another container (of any selkie root) has the host port: a conflict, not an overwrite. */
export function portElements(ports: PortMapping[], containerIp: string, op: 'create' | 'delete'): string {
  return ports
    .map((p) => {
      const { map, key } = portKey(p);
      return op === 'create' ? `create element ${T} ${map} { ${key} : ${containerIp} . ${p.containerPort} }` : `delete element ${T} ${map} { ${key} }`;
    })
    .join('\n');
}

export async function applyNft(script: string, what: string): Promise<void> {
  await mustRun(['nft', '-f', '-'], script + '\n', what);
}

/** Publish ports (the table is (re)ensured in the same call). A taken host port is a conflict error. */
export async function publishPorts(ports: PortMapping[], containerIp: string, container: string): Promise<void> {
  if (!ports.length) return;
  const r = await runHostCommand(['nft', '-f', '-'], `${tableScript()}\n${portElements(ports, containerIp, 'create')}\n`);
  if (r.code === 0) return;
  if (/File exists/.test(r.stderr)) {
    const taken = ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}/${p.protocol}`).join(', ');
    throw conflict(`cannot publish ports of container ${container}: host port ${taken} is already published by another container`, 'choose another host port, or remove the container that has it');
  }
  throw conflict(`cannot publish ports of container ${container}: nft failed: ${r.stderr.split('\n')[0]}`);
}

/** Unpublish, ignoring elements already gone (teardown is idempotent). */
export async function unpublishPorts(ports: PortMapping[]): Promise<void> {
  if (!ports.length) return;
  const r = await runHostCommand(['nft', '-f', '-'], portElements(ports, '', 'delete') + '\n');
  if (r.code !== 0) {
    // One missing element fails the whole batch: delete the rest one by one.
    for (const p of ports) await runHostCommand(['nft', '-f', '-'], portElements([p], '', 'delete') + '\n');
  }
}
