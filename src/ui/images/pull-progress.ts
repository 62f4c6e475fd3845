/** Pull progress events (PullProgress from the bridge's images.pull) summed into one bar. */
import type { PullProgress } from '../../engine/registry/pull-types.js';
import { _, fmt } from '../i18n.js';
import { formatBytes } from '../common/format.js';

export interface PullSummary {
  /** 0..100, or undefined before any layer size is known. */
  percent?: number;
  /** What is happening now, for the bar's label. */
  text: string;
  done: boolean;
}

export class PullProgressTracker {
  private readonly blobs = new Map<string, { received: number; total: number; done: boolean }>();
  private stage = _('Resolving');
  private finished = false;

  update(p: PullProgress): void {
    switch (p.kind) {
      case 'resolving':
        this.stage = fmt('Resolving $0', p.reference);
        break;
      case 'signatures':
        this.stage = _('Checking signatures');
        break;
      case 'blob':
        this.blobs.set(p.digest, { received: p.state === 'copying' ? p.received : p.total, total: p.total, done: p.state !== 'copying' });
        this.stage = _('Copying layers');
        break;
      case 'config':
        this.stage = _('Copying the image configuration');
        break;
      case 'writing-manifest':
        this.stage = _('Writing the manifest');
        break;
      case 'present':
        this.stage = fmt('$0 is already stored', p.reference);
        this.finished = true;
        break;
    }
  }

  summary(): PullSummary {
    let received = 0;
    let total = 0;
    let done = 0;
    for (const b of this.blobs.values()) {
      received += b.received;
      total += b.total;
      if (b.done) done++;
    }
    const percent = this.finished ? 100 : total > 0 ? Math.min(100, Math.round((received / total) * 100)) : undefined;
    const text = this.blobs.size && !this.finished ? `${this.stage}: ${done}/${this.blobs.size}, ${formatBytes(received)} / ${formatBytes(total)}` : this.stage;
    return { percent, text, done: this.finished };
  }
}
