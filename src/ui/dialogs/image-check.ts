/** Before creating: is the image stored here, or can it be pulled? A missing image is a field error, not a failed create. */
import type { BridgeClient } from '../bridge-client.js';
import { errorText } from '../common/alerts.js';
import { formatBytes } from '../common/format.js';
import { _, fmt } from '../i18n.js';

export type ImageCheck = { local: true; id: string } | { local: false; name: string; size: number; layers: number; architecture: string; labels?: Record<string, string> };

/** What a registry said of an image that is not stored here: size, layers, architecture, labels. */
export function describeRemoteImage(c: Extract<ImageCheck, { local: false }>): string {
  const labels = Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const what = fmt('Not stored here; will be pulled: $0 in $1 layers, $2', formatBytes(c.size), c.layers, c.architecture || _('unknown architecture'));
  return labels.length ? `${what}. ${fmt('Labels: $0', labels.join(', '))}` : what;
}

export async function checkImage(client: BridgeClient, reference: string): Promise<{ ok: true; check: ImageCheck } | { ok: false; error: string }> {
  try {
    return { ok: true, check: await client.call<ImageCheck>('images.check', { reference }) };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}
