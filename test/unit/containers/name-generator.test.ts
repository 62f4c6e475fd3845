import { describe, expect, it } from 'vitest';
import { generateName, validName } from '../../../src/engine/containers/name-generator.js';

describe('generated container names', () => {
  it('are adjective_noun, valid names, and varied', () => {
    const names = Array.from({ length: 300 }, () => generateName(() => false));
    for (const n of names) {
      expect(n).toMatch(/^[a-z]+_[a-z]+$/);
      expect(validName(n)).toBe(true);
    }
    expect(new Set(names).size).toBeGreaterThan(100);
    expect(new Set(names.map((n) => n.split('_')[0])).size).toBeGreaterThan(10);
  });

  it('avoid taken names: a digit after a few collisions, a random suffix when all collide', () => {
    const taken = new Set<string>();
    let tries = 0;
    const withDigit = generateName((n) => {
      tries++;
      if (tries <= 3) return true;
      taken.add(n);
      return false;
    });
    expect(withDigit).toMatch(/^[a-z]+_[a-z]+\d$/);
    expect(generateName(() => true)).toMatch(/^[a-z]+_[a-z]+_[0-9a-f]{6}$/);
  });
});
