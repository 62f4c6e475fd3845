/** Before creating: is the image stored here, or can it be pulled? A missing image is a field error, not a failed create. */
import type { BridgeClient } from '../bridge-client.js';
import { errorText } from '../common/alerts.js';

export type ImageCheck = { local: true; id: string } | { local: false; name: string; size: number; layers: number; architecture: string };

export async function checkImage(client: BridgeClient, reference: string): Promise<{ ok: true; check: ImageCheck } | { ok: false; error: string }> {
  try {
    return { ok: true, check: await client.call<ImageCheck>('images.check', { reference }) };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}
