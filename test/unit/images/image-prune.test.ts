import { describe, expect, it } from 'vitest';
import { pruneCandidates, untilSeconds } from '../../../src/engine/images/image-prune.js';
import type { ImageRecord } from '../../../src/engine/images/image-store.js';

function img(id: string, names: string[], created: number, labels: Record<string, string> = {}): ImageRecord {
  const config = { architecture: 'amd64', os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers' as const, diff_ids: [] } };
  return { id, topLayer: null, config, configRaw: '', manifest: null, manifestType: null, digest: null, size: 0, created, stored: 0, names, repoDigests: [] };
}

const now = 1_700_000_000_000;
const images = [
  img('a', [], 1_600_000_000, { keep: 'yes' }),
  img('b', [], 1_699_999_990),
  img('c', ['localhost/c:latest'], 1_600_000_000),
  img('d', [], 1_600_000_000),
  img('e', ['localhost/e:latest'], 1_600_000_000, { env: 'prod' }),
];
const ids = (l: ImageRecord[]) => l.map((i) => i.id);

describe('pruneCandidates', () => {
  it('takes dangling images not used by containers', () => {
    expect(ids(pruneCandidates(images, new Set(['d']), {}, now))).toEqual(['a', 'b']);
  });
  it('takes every unused image with all (or dangling=false)', () => {
    expect(ids(pruneCandidates(images, new Set(['d']), { all: true }, now))).toEqual(['a', 'b', 'c', 'e']);
    expect(ids(pruneCandidates(images, new Set(), { filters: { dangling: ['false'] } }, now))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
  it('filters by until and labels', () => {
    expect(ids(pruneCandidates(images, new Set(), { filters: { until: ['1h'] } }, now))).toEqual(['a', 'd']);
    expect(ids(pruneCandidates(images, new Set(), { filters: { 'label!': ['keep'] } }, now))).toEqual(['b', 'd']);
    expect(ids(pruneCandidates(images, new Set(), { all: true, filters: { label: ['env=prod'] } }, now))).toEqual(['e']);
    expect(() => pruneCandidates(images, new Set(), { filters: { bogus: ['x'] } }, now)).toThrow(/invalid filter "bogus"/);
  });
  it('reads until as unix seconds, RFC 3339 or a duration', () => {
    expect(untilSeconds('1600000000', now)).toBe(1_600_000_000);
    expect(untilSeconds('2024-01-01T00:00:00Z', now)).toBe(Date.parse('2024-01-01T00:00:00Z') / 1000);
    expect(untilSeconds('1h30m', now)).toBe(now / 1000 - 5400);
    expect(() => untilSeconds('yesterday', now)).toThrow(/invalid filter until/);
  });
});
