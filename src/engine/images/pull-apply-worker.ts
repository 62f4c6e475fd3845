/**
 * Worker threads that apply pulled layers: each takes a layer blob (still downloading: a
 * GrowingFile mirrored from the main thread) and does all of its CPU and file system work —
 * gunzip, the diffID hash, tar parsing and the file system calls (synchronous: cheap in a thread of
 * its own) — so that two layers apply at once on two cores while the main thread downloads.
 *
 * The worker runs this module as its own bundle (dist/cli/layer-worker.cjs, beside the engine's),
 * with WORKER_ENV set: its top level then serves jobs. Running from source (tests) there is no
 * such bundle, and layers apply in the calling thread.
 *
 * A lookup in the layers below (which may still be applied: a hard link to a lower file, a parent
 * directory the tar does not list) is asked synchronously: the worker posts the question and waits
 * on a shared buffer (Atomics.wait) until the main thread has waited for the layers below and
 * answered. The caller must make sure those layers progress meanwhile (pull-layers.ts admits
 * layers in chain order, no more than there are workers). The root's metadata from below is
 * left to the caller (the result says whether the tar listed the root). Errors come back as
 * SelkieErrors (kind, message, hint).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wt, { type MessagePort, type Worker } from 'node:worker_threads';
import { SelkieError, isSelkieError, type ErrorKind } from '../errors.js';
import { mismatchError, VerifyingStream } from '../registry/digest.js';
import { applyLayer, type ApplyOptions } from '../storage/layer-applier.js';
import type { ApplyResult } from '../storage/storage-driver.js';
import { TarSplitRecorder } from '../storage/tar-split.js';
import { GrowingFile, type GrowingFileChange } from './growing-file.js';
import { collectBuffersWhile } from '../util/buffer-collector.js';
import { openBlobTar } from './blob-tar-stream.js';

const WORKER_ENV = '_SELKIE_LAYER_WORKER';
const FEED_STEP = 256 << 10;
/** Answer buffer: [state, length] then the answer's bytes (JSON). */
const ANSWER_BYTES = 1 << 16;

export interface ApplyJob {
  root: string;
  whiteouts: ApplyOptions['whiteouts'];
  /** The blob (compressed or not) and what its uncompressed content must hash to. */
  file: string;
  diffId: string;
  what: string;
  recordFile?: string;
  lookups: boolean;
}

/** A job's outcome: `rootFromLower` when the tar did not list the root (see ApplyOptions.rootFromLower). */
export interface AppliedJob {
  result: ApplyResult;
  rootFromLower: boolean;
}

type WireError = { kind: ErrorKind; message: string; hint?: string };
type ToWorker = { type: 'job'; job: ApplyJob } | { type: 'feed'; change: { received: number } | { done: true } | { error: string } };
type FromWorker =
  | { type: 'ready' }
  | { type: 'ask'; rel: string }
  | { type: 'done'; applied: AppliedJob }
  | { type: 'failed'; error: WireError };

/** What the main thread answers for the worker: a lookup in the layers below (waiting for them first). */
export type LowerLookup = (rel: string) => Promise<string | null>;

const toWire = (e: unknown): WireError =>
  isSelkieError(e)
    ? { kind: e.kind, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }
    : { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
const fromWire = (w: WireError): SelkieError => new SelkieError(w.kind, w.message, w.hint ? { hint: w.hint } : {});

/** The bundle a worker loads (built beside the engine's), or undefined: running from source, or disabled. */
function workerBundle(): string | undefined {
  if (process.env.SELKIE_LAYER_WORKERS === '0') return undefined;
  try {
    const here = fileURLToPath(import.meta.url);
    if (!here.endsWith('.cjs')) return undefined;
    const file = path.join(path.dirname(here), 'layer-worker.cjs');
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

class ApplyWorker {
  private readonly ready: Promise<void>;
  private readonly answer = new SharedArrayBuffer(8 + ANSWER_BYTES);
  private broken?: Error;
  private current?: { onMessage: (m: FromWorker) => void; onError: (e: Error) => void };

  constructor(readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => {
      worker.once('message', (m: FromWorker) => (m.type === 'ready' ? resolve() : reject(new Error('unexpected first message'))));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the layer worker exited (${code})`)));
    });
    this.ready.catch((e: Error) => (this.broken = e));
    worker.on('message', (m: FromWorker) => this.current?.onMessage(m));
    worker.on('error', (e) => {
      this.broken = e;
      this.current?.onError(e);
    });
    worker.on('exit', (code) => {
      this.broken ??= new Error(`the layer worker exited (${code})`);
      this.current?.onError(this.broken);
    });
    worker.postMessage({ answer: this.answer });
  }

  /** Whether the worker started (false: apply in this thread instead). */
  async usable(): Promise<boolean> {
    await this.ready.catch(() => {});
    return this.broken === undefined;
  }

  run(job: ApplyJob, feed: GrowingFile, lookup: LowerLookup): Promise<AppliedJob> {
    return new Promise<AppliedJob>((resolve, reject) => {
      const state = new Int32Array(this.answer, 0, 2);
      const bytes = new Uint8Array(this.answer, 8);
      const reply = (value: unknown): void => {
        let data = Buffer.from(JSON.stringify(value));
        if (data.length > ANSWER_BYTES) data = Buffer.from(JSON.stringify({ e: { kind: 'internal', message: 'a lookup answer is too long' } }));
        bytes.set(data);
        Atomics.store(state, 1, data.length);
        Atomics.store(state, 0, 1);
        Atomics.notify(state, 0);
      };
      let stopFeed = (): void => {};
      const finish = (): void => {
        stopFeed();
        this.current = undefined;
        this.worker.unref();
      };
      this.worker.ref();
      this.current = {
        onMessage: (m) => {
          if (m.type === 'ask') {
            lookup(m.rel).then(
              (v) => reply({ v }),
              (e: unknown) => reply({ e: toWire(e) }),
            );
          } else if (m.type === 'done') {
            finish();
            resolve(m.applied);
          } else if (m.type === 'failed') {
            finish();
            reject(fromWire(m.error));
          }
        },
        onError: (e) => {
          finish();
          reject(new SelkieError('internal', `applying ${job.what} failed: the worker thread stopped: ${e.message}`, { cause: e }));
        },
      };
      this.worker.postMessage({ type: 'job', job } satisfies ToWorker);
      // After the job: the worker mirrors the blob's download in the job's GrowingFile.
      // Progress is passed on in steps of FEED_STEP: the worker reads (and gunzips) in pieces that
      // big rather than waking for every network read.
      let told = 0;
      stopFeed = feed.observe((c) => {
        if ('received' in c) {
          if (c.received - told < FEED_STEP) return;
          told = c.received;
        }
        const change = 'error' in c ? { error: c.error.message } : c;
        this.worker.postMessage({ type: 'feed', change } satisfies ToWorker);
      });
    });
  }
}

/** Up to `size` worker threads, started at once (their start-up overlaps the first download). */
export class ApplyWorkerPool {
  private readonly idle: ApplyWorker[] = [];
  private readonly all: ApplyWorker[] = [];
  private readonly waiting: ((w: ApplyWorker) => void)[] = [];

  private constructor(workers: Worker[]) {
    for (const w of workers) {
      const aw = new ApplyWorker(w);
      this.all.push(aw);
      this.idle.push(aw);
    }
  }

  /** A pool, or undefined where no worker can run (the caller applies in its own thread). */
  static start(size: number): ApplyWorkerPool | undefined {
    const bundle = workerBundle();
    if (bundle === undefined || size < 1) return undefined;
    const workers: Worker[] = [];
    for (let i = 0; i < size; i++) {
      // A small young generation: buffers (blob chunks, gunzipped data) are freed at each scavenge,
      // which keeps the pull's memory flat (the default lets garbage buffers pile up).
      const w = new wt.Worker(bundle, {
        env: { ...process.env, [WORKER_ENV]: '1' },
        stdout: false,
        stderr: false,
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      });
      w.unref(); // kept alive only while it has a job (run)
      workers.push(w);
    }
    return new ApplyWorkerPool(workers);
  }

  /** Applies `job` in a worker; resolves undefined when no worker could start (apply it here then). */
  async run(job: ApplyJob, feed: GrowingFile, lookup: LowerLookup): Promise<AppliedJob | undefined> {
    const w = this.idle.shift() ?? (await new Promise<ApplyWorker>((r) => this.waiting.push(r)));
    try {
      if (!(await w.usable())) return undefined;
      return await w.run(job, feed, lookup);
    } finally {
      const next = this.waiting.shift();
      if (next) next(w);
      else this.idle.push(w);
    }
  }

  close(): void {
    for (const w of this.all.splice(0)) void w.worker.terminate();
  }
}

// ---- the worker's side ----

/** Applies one job in this (worker) thread: what pull-layers did in the main thread before. */
async function applyJob(job: ApplyJob, feed: GrowingFile, ask: (rel: string) => string | null): Promise<AppliedJob> {
  const tar = await openBlobTar(feed, job.what);
  // applyLayer hashes what it reads (sha256): a sha256 diffID is checked against that, any other
  // by a stream that fails before its end. Either way a wrong layer fails before the driver keeps it.
  const what = `${job.what}: uncompressed content (diff ID)`;
  const sha256 = job.diffId.startsWith('sha256:');
  const verified = sha256 ? tar : tar.pipe(new VerifyingStream(job.diffId, what));
  if (!sha256) tar.on('error', (e) => verified.destroy(e));
  // The layer may be complete at the tar's end-of-archive, before the blob ends: the main thread
  // checks the download itself.
  verified.on('error', () => {});
  const record = job.recordFile === undefined ? undefined : new TarSplitRecorder(job.recordFile);
  let rootFromLower = false;
  const opts: ApplyOptions = {
    whiteouts: job.whiteouts,
    ...(job.lookups ? { lowerLookup: (rel: string) => ask(rel) } : {}),
    rootFromLower: () => {
      rootFromLower = true;
    },
  };
  try {
    const result = await applyLayer(job.root, verified, opts, record);
    if (result.diffId !== job.diffId) throw mismatchError(what, job.diffId, result.diffId);
    if (record) await record.finish(result.uncompressedSize);
    return { result, rootFromLower };
  } catch (e) {
    record?.abort();
    throw e;
  } finally {
    // Stops reading the blob (which may go on after the end of the archive).
    verified.destroy();
    tar.destroy();
  }
}

function serve(port: MessagePort): void {
  let state: Int32Array | undefined;
  let bytes: Uint8Array | undefined;
  let feed: GrowingFile | undefined;
  const ask = (rel: string): string | null => {
    Atomics.store(state!, 0, 0);
    port.postMessage({ type: 'ask', rel } satisfies FromWorker);
    Atomics.wait(state!, 0, 0);
    const n = Atomics.load(state!, 1);
    const answer = JSON.parse(Buffer.from(bytes!.subarray(0, n)).toString('utf8')) as { v?: string | null; e?: WireError };
    if (answer.e) throw fromWire(answer.e);
    return answer.v ?? null;
  };
  port.on('message', (m: ToWorker | { answer: SharedArrayBuffer }) => {
    if ('answer' in m) {
      state = new Int32Array(m.answer, 0, 2);
      bytes = new Uint8Array(m.answer, 8);
      port.postMessage({ type: 'ready' } satisfies FromWorker);
    } else if (m.type === 'feed') {
      const c = m.change;
      feed?.mirror('error' in c ? { error: new Error(c.error) } : (c as GrowingFileChange));
    } else if (m.type === 'job') {
      const f = (feed = new GrowingFile(m.job.file));
      const stopCollecting = collectBuffersWhile();
      applyJob(m.job, f, ask)
        .finally(stopCollecting)
        .then(
          (applied) => port.postMessage({ type: 'done', applied } satisfies FromWorker),
          (e: unknown) => port.postMessage({ type: 'failed', error: toWire(e) } satisfies FromWorker),
        );
    }
  });
}

// (The build loads node:worker_threads on first use: this costs other commands nothing.)
if (process.env[WORKER_ENV] === '1') {
  if (!wt.isMainThread && wt.parentPort) {
    delete process.env[WORKER_ENV]; // not for the programs this thread runs (tar, setfattr, cp)
    serve(wt.parentPort);
  }
}
