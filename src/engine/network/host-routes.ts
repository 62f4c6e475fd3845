/** IPv4 routes of the host (from /proc/net/route, no process), to keep new subnets off networks in use. */
import fs from 'node:fs';
import type { Subnet } from './ipv4.js';

export function hostRoutes(): (Subnet & { iface: string })[] {
  let text = '';
  try {
    text = fs.readFileSync('/proc/net/route', 'utf8');
  } catch {
    return [];
  }
  const out: (Subnet & { iface: string })[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const dest = leHex(f[1]!);
    const m = leHex(f[7]!);
    if (m === 0) continue; // default route
    out.push({ base: (dest & m) >>> 0, prefix: popcount(m), iface: f[0]! });
  }
  return out;
}

/** /proc/net/route prints addresses as little-endian hex. */
function leHex(h: string): number {
  const n = Number.parseInt(h, 16);
  return (((n & 255) << 24) | (((n >>> 8) & 255) << 16) | (((n >>> 16) & 255) << 8) | ((n >>> 24) & 255)) >>> 0;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x = (x & (x - 1)) >>> 0) c++;
  return c;
}
