import { describe, expect, it } from 'vitest';
import { imageHistory } from '../../../src/engine/images/image-history.js';
import type { ImageRecord, LayerRecord } from '../../../src/engine/images/image-store.js';
import type { ImageConfig } from '../../../src/engine/types/image.js';
import { chainIds } from '../../../src/engine/util/ids.js';

const d1 = `sha256:${'1'.repeat(64)}`;
const d2 = `sha256:${'2'.repeat(64)}`;

function record(config: ImageConfig, names: string[] = []): ImageRecord {
  return { id: 'f'.repeat(64), topLayer: null, config, configRaw: JSON.stringify(config), manifest: null, manifestType: null, digest: null, size: 0, created: 1_700_000_000, stored: 0, names, repoDigests: [] };
}

const chains = chainIds([d1, d2]).map((c) => c.slice(7));
const layers = new Map<string, LayerRecord>([
  [chains[0]!, { id: chains[0]!, parent: null, diffId: d1, uncompressedSize: 1000, compressedDigest: null, compressedSize: null }],
  [chains[1]!, { id: chains[1]!, parent: chains[0]!, diffId: d2, uncompressedSize: 20, compressedDigest: null, compressedSize: null }],
]);

describe('imageHistory', () => {
  it('lists entries newest first, sizes from the layers, empty layers 0, <missing> below the top', () => {
    const config: ImageConfig = {
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [d1, d2] },
      history: [
        { created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:abc in /' },
        { created: '2024-01-01T00:00:01Z', created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
        { created: '2024-01-02T00:00:00Z', created_by: 'RUN echo hi > /x', comment: 'buildkit' },
        { created: '2024-01-02T00:00:05Z', created_by: 'LABEL a=b', empty_layer: true },
      ],
    };
    const rows = imageHistory(record(config, ['localhost/x:latest']), (id) => layers.get(id));
    expect(rows.map((r) => [r.Id === '<missing>' ? r.Id : 'top', r.Size, r.CreatedBy, r.Comment])).toEqual([
      ['top', 0, 'LABEL a=b', ''],
      ['<missing>', 20, 'RUN echo hi > /x', 'buildkit'],
      ['<missing>', 0, '/bin/sh -c #(nop)  CMD ["sh"]', ''],
      ['<missing>', 1000, '/bin/sh -c #(nop) ADD file:abc in /', ''],
    ]);
    expect(rows[0]!.Id).toBe(`sha256:${'f'.repeat(64)}`);
    expect(rows[0]!.Tags).toEqual(['localhost/x:latest']);
    expect(rows[1]!.Tags).toBeNull();
    expect(rows[3]!.Created).toBe(Date.parse('2024-01-01T00:00:00Z') / 1000);
  });

  it('gives an image without history one row per layer', () => {
    const config: ImageConfig = { architecture: 'amd64', os: 'linux', created: '2024-03-01T00:00:00Z', rootfs: { type: 'layers', diff_ids: [d1, d2] } };
    const rows = imageHistory(record(config), (id) => layers.get(id));
    expect(rows.map((r) => [r.Size, r.CreatedBy])).toEqual([[20, ''], [1000, '']]);
    expect(rows[0]!.Tags).toBeNull();
    expect(rows[0]!.Created).toBe(Date.parse('2024-03-01T00:00:00Z') / 1000);
  });
});
