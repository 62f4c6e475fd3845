/** Pull through the bridge, reporting a summary on each progress event. */
import type { PullProgress } from '../../engine/registry/pull-types.js';
import type { BridgeClient } from '../bridge-client.js';
import { type PullSummary, PullProgressTracker } from './pull-progress.js';

export async function pullImage(client: BridgeClient, reference: string, onSummary: (s: PullSummary) => void, opts: { tlsVerify?: boolean; signal?: AbortSignal } = {}) {
  const tracker = new PullProgressTracker();
  return client.call<{ id: string }>(
    'images.pull',
    { reference, tlsVerify: opts.tlsVerify },
    {
      signal: opts.signal,
      onData: (d) => {
        tracker.update(d as PullProgress);
        onSummary(tracker.summary());
      },
    },
  );
}
