import { describe, expect, it } from 'vitest';
import { chainIds, randomId, sha256Hex, shortId } from '../../../src/engine/util/ids.js';

describe('ids', () => {
  it('randomId gives 64 hex digits, different every time, with every digit in use', () => {
    const ids = Array.from({ length: 200 }, randomId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.join('')).size).toBe(16);
  });

  it('shortId drops the algorithm and keeps 12 characters', () => {
    expect(shortId(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
  });

  it('chainIds follow the OCI definition', () => {
    const d0 = `sha256:${sha256Hex('a')}`;
    const d1 = `sha256:${sha256Hex('b')}`;
    expect(chainIds([d0, d1])).toEqual([d0, `sha256:${sha256Hex(`${d0} ${d1}`)}`]);
  });
});
