/** IPv4 addresses and subnets as numbers: parsing, formatting and the arithmetic IPAM needs. */
import { usageError } from '../errors.js';

export interface Subnet {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** "10.77.0.0/16" → Subnet; host bits must be zero, as podman requires. */
export function parseSubnet(s: string): Subnet {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s.trim());
  const ip = m ? parseIPv4(m[1]!) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (ip === undefined || !(prefix >= 8 && prefix <= 30)) {
    throw usageError(`invalid subnet "${s}"`, 'give an IPv4 CIDR with a prefix between /8 and /30, e.g. 10.90.0.0/24');
  }
  if ((ip & mask(prefix)) >>> 0 !== ip) throw usageError(`invalid subnet "${s}": host bits are set`, `use ${formatIPv4((ip & mask(prefix)) >>> 0)}/${prefix}`);
  return { base: ip, prefix };
}

export function formatSubnet(s: Subnet): string {
  return `${formatIPv4(s.base)}/${s.prefix}`;
}

export function contains(s: Subnet, ip: number): boolean {
  return (ip & mask(s.prefix)) >>> 0 === s.base;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (a.base & mask(p)) >>> 0 === (b.base & mask(p)) >>> 0;
}

/** Broadcast address of the subnet. */
export function lastAddress(s: Subnet): number {
  return (s.base | (~mask(s.prefix) >>> 0)) >>> 0;
}

/** Docker's MAC for an IPv4 address: 02:42 followed by the address bytes. Unique per IP. */
export function macForIPv4(ip: number): string {
  return ['02', '42', ...[ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
