/**
 * Renders pull and push progress as podman does, on stderr. On a terminal: one line per blob with a
 * bar ("Copying blob 8a0c1e2f3a4b [=====>-----] 12.3MiB / 45.6MiB") that turns into "... done" or
 * "... skipped: already exists", drawn by cli-progress. Elsewhere: podman's plain lines ("Copying
 * blob sha256:…" once per blob). The engine only reports events; this is the one place that prints them.
 */
import type { MultiBar, SingleBar, BarParams } from 'cli-progress';
import type { PullProgress, PushProgress } from '../../engine/registry/pull-types.js';

export interface TransferProgress {
  onProgress(p: PullProgress | PushProgress): void;
  /** After a successful transfer: "Storing signatures". */
  finish(): void;
  /** After a failure: stops the bars so the error prints below them. */
  abort(): void;
}

const UNITS = ['b', 'KiB', 'MiB', 'GiB', 'TiB'];

/** mpb's KiB counters as podman shows them: "293.0b", "12.3MiB". */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)}${UNITS[u]}`;
}

const hex = (digest: string) => digest.replace(/^[a-z0-9]+:/, '');
const BAR_WIDTH = 38;

/** One bar line; exported for tests. */
export function barLine(label: string, id: string, state: string, value: number, total: number): string {
  const head = `Copying ${label} ${id}`;
  if (state === 'done') return `${head} done`;
  if (state === 'skipped' || state === 'mounted') return `${head} skipped: already exists`;
  const frac = total > 0 ? Math.min(1, value / total) : 0;
  const filled = Math.floor(frac * BAR_WIDTH);
  const bar = filled >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : `${'='.repeat(filled)}>${'-'.repeat(BAR_WIDTH - filled - 1)}`;
  return `${head} [${bar}] ${formatBytes(value)} / ${formatBytes(total)}`;
}

function bytesOf(p: Extract<PullProgress | PushProgress, { kind: 'blob' }>): { value: number; total: number } | undefined {
  if ('received' in p) return { value: p.received, total: p.total };
  if ('sent' in p) return { value: p.sent, total: p.total };
  return undefined;
}

/** Podman's plain lines, for a stderr that is not a terminal. */
export function plainTransferProgress(out: NodeJS.WritableStream): TransferProgress {
  const seen = new Set<string>();
  const line = (s: string) => void out.write(`${s}\n`);
  return {
    onProgress(p) {
      switch (p.kind) {
        case 'resolving':
          return line(`Trying to pull ${p.reference}...`);
        case 'signatures':
          return line('Getting image source signatures');
        case 'blob':
          if (seen.has(p.digest)) return;
          seen.add(p.digest);
          return line(`Copying blob ${p.digest}`);
        case 'config':
          return line(`Copying config ${p.digest}`);
        case 'writing-manifest':
          return line('Writing manifest to image destination');
        default:
          return;
      }
    },
    finish: () => line('Storing signatures'),
    abort: () => {},
  };
}

/** Bars on a terminal (cli-progress is loaded only here). */
export async function ttyTransferProgress(out: NodeJS.WriteStream): Promise<TransferProgress> {
  const { default: cliProgress } = await import('cli-progress');
  let multi: MultiBar | undefined;
  const bars = new Map<string, SingleBar>();
  const format = (_o: unknown, params: BarParams, payload: Record<string, unknown>) =>
    barLine(String(payload.label), String(payload.id), String(payload.state), params.value, params.total);
  const bar = (key: string, label: string, id: string, state: string, value: number, total: number): void => {
    multi ??= new cliProgress.MultiBar({ stream: out, format, fps: 10, hideCursor: false, clearOnComplete: false, stopOnComplete: false, linewrap: false, gracefulExit: false, autopadding: false });
    const b = bars.get(key);
    if (!b) {
      bars.set(key, multi.create(Math.max(total, 0), value, { label, id, state }));
      return multi.update(); // a new line shows at once; later changes at the frame rate
    }
    if (total > 0) b.setTotal(total);
    b.update(value, { state });
  };
  const stopBars = () => {
    if (!multi) return;
    multi.update(); // the final state of every bar
    multi.stop();
    multi = undefined;
    bars.clear();
  };
  const line = (s: string) => {
    if (multi) multi.log(`${s}\n`);
    else out.write(`${s}\n`);
  };
  return {
    onProgress(p) {
      switch (p.kind) {
        case 'resolving':
          return line(`Trying to pull ${p.reference}...`);
        case 'signatures':
          return line('Getting image source signatures');
        case 'blob': {
          const b = bytesOf(p);
          const prev = bars.get(p.digest) as unknown as { value?: number; total?: number } | undefined;
          const total = b?.total ?? prev?.total ?? 0;
          const value = p.state === 'done' ? total : (b?.value ?? prev?.value ?? 0);
          return bar(p.digest, 'blob', hex(p.digest).slice(0, 12), p.state, value, total);
        }
        case 'config':
          return bar(`config ${p.digest}`, 'config', hex(p.digest).slice(0, 10), 'done', 0, 0);
        case 'writing-manifest':
          stopBars();
          return line('Writing manifest to image destination');
        default:
          return;
      }
    },
    finish() {
      stopBars();
      line('Storing signatures');
    },
    abort: stopBars,
  };
}

/** The renderer for `out`: bars when it is a terminal, plain lines otherwise. */
export async function transferProgress(out: NodeJS.WriteStream): Promise<TransferProgress> {
  return out.isTTY ? ttyTransferProgress(out) : plainTransferProgress(out);
}
