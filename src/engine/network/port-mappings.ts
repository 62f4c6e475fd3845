/**
 * `-p/--publish [ip:][hostPort:]containerPort[/tcp|udp]` with ranges (8000-8002:80-82), a random host
 * port (an empty or absent host port), and the text forms `ps` and `port` print.
 */
import { usageError } from '../errors.js';
import { parseIPv4 } from './ipv4.js';

export type PortProtocol = 'tcp' | 'udp';

/** One published port. hostPort 0 means "pick a free one" (resolved at create time). */
export interface PortMapping {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: PortProtocol;
}

const hint = 'use -p [ip:][hostPort:]containerPort[/tcp|udp], e.g. -p 8080:80 or -p 127.0.0.1:8080:80/tcp';

function portRange(spec: string, flag: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec);
  if (!m) throw usageError(`invalid port "${spec}" in -p ${flag}`, hint);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b > 65535 || b < a) throw usageError(`invalid port range "${spec}" in -p ${flag}: ports are 1-65535, low-high`, hint);
  return [a, b];
}

export function parsePublish(flag: string): PortMapping[] {
  let rest = flag.trim();
  let protocol: PortProtocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = rest.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp') throw usageError(`invalid protocol "${p}" in -p ${flag}`, 'the protocol is tcp or udp');
    protocol = p;
    rest = rest.slice(0, slash);
  }
  const parts = rest.split(':');
  if (parts.length > 3 || rest === '') throw usageError(`invalid -p ${flag}`, hint);
  const containerSpec = parts.pop()!;
  const hostSpec = parts.length ? parts.pop()! : '';
  let hostIp = parts.length ? parts.pop()! : '';
  if (hostIp.startsWith('[')) throw usageError(`invalid -p ${flag}: IPv6 host addresses are not supported`, hint);
  if (hostIp === '0.0.0.0') hostIp = '';
  if (hostIp && parseIPv4(hostIp) === undefined) throw usageError(`invalid host IP "${hostIp}" in -p ${flag}`, hint);
  const [c0, c1] = portRange(containerSpec, flag);
  if (hostSpec === '') {
    const out: PortMapping[] = [];
    for (let p = c0; p <= c1; p++) out.push({ hostIp, hostPort: 0, containerPort: p, protocol });
    return out;
  }
  const [h0, h1] = portRange(hostSpec, flag);
  if (h1 - h0 !== c1 - c0) throw usageError(`invalid -p ${flag}: the host and container port ranges differ in length`, hint);
  const out: PortMapping[] = [];
  for (let i = 0; i <= c1 - c0; i++) out.push({ hostIp, hostPort: h0 + i, containerPort: c0 + i, protocol });
  return out;
}

/** Image EXPOSE keys ("80/tcp", "53/udp", "8000-8001/tcp") → container ports for -P. */
export function exposedPorts(exposed: Record<string, unknown> | undefined): { port: number; protocol: PortProtocol }[] {
  const out: { port: number; protocol: PortProtocol }[] = [];
  for (const key of Object.keys(exposed ?? {})) {
    const [spec, proto = 'tcp'] = key.split('/');
    if (proto !== 'tcp' && proto !== 'udp') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(spec ?? '');
    if (!m) continue;
    for (let p = Number(m[1]); p <= Number(m[2] ?? m[1]); p++) out.push({ port: p, protocol: proto });
  }
  return out;
}

/** Docker's `ps` PORTS text: "0.0.0.0:8080->80/tcp, 127.0.0.1:9000->9000/udp". */
export function portsText(ports: PortMapping[]): string {
  return ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
}

/** inspect's NetworkSettings.Ports / HostConfig.PortBindings. */
export function portBindings(ports: PortMapping[]): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) (out[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  return out;
}
