import { describe, expect, it } from 'vitest';
import { shortHash } from '../../../src/engine/util/short-hash.js';
import { vethName } from '../../../src/engine/network/netns.js';

describe('shortHash', () => {
  it('is stable, hex, of the length asked for', () => {
    expect(shortHash('abc')).toBe(shortHash('abc'));
    expect(shortHash('abc')).toMatch(/^[0-9a-f]{12}$/);
    expect(shortHash('abc', 16)).toMatch(/^[0-9a-f]{16}$/);
    expect(shortHash('abc', 16).startsWith(shortHash('abc', 12))).toBe(true);
  });

  it('spreads similar inputs apart (no collisions among 20000 container/network pairs)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10000; i++) for (const net of ['podman', 'mynet']) seen.add(shortHash(`${i.toString(16).padStart(64, '0')}\0${net}`));
    expect(seen.size).toBe(20000);
  });
});

describe('vethName', () => {
  it('fits an interface name (15 characters) and differs per network', () => {
    const id = 'a'.repeat(64);
    expect(vethName(id, 'podman')).toMatch(/^sk[0-9a-f]{12}$/);
    expect(vethName(id, 'podman')).not.toBe(vethName(id, 'other'));
  });
});
