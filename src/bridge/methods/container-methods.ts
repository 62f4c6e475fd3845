/** containers.*: list, inspect, stats, top, logs (streamed), create, and the actions on one container. */
import type { LogLine } from '../../engine/types/container.js';
import { containerCreateOptions } from './create-options.js';
import type { MethodContext, MethodTable } from './method-types.js';
import { obj, optBool, optNum, optStr, optStrList, str } from './params.js';

/** Log lines are sent in batches: at most this many per message, or what arrived within LOG_FLUSH_MS. */
const LOG_BATCH = 500;
const LOG_FLUSH_MS = 50;

async function streamLogs(ctx: MethodContext, name: string, tail: number | undefined, follow: boolean): Promise<{ lines: number }> {
  let batch: LogLine[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (batch.length) ctx.emit(batch);
    batch = [];
  };
  const iterator = ctx.engine.containers.logs(name, { tail, follow })[Symbol.asyncIterator]();
  const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    while (!ctx.signal.aborted) {
      const next = await Promise.race([iterator.next(), aborted.then(() => undefined)]);
      if (!next || next.done) break;
      batch.push(next.value);
      total++;
      if (batch.length >= LOG_BATCH) flush();
      else timer ??= setTimeout(flush, LOG_FLUSH_MS);
    }
  } finally {
    flush();
    // A following reader waits for more lines: end it (without waiting for it) when the page cancels.
    void iterator.return?.(undefined)?.catch(() => undefined);
  }
  return { lines: total };
}

export const containerMethods: MethodTable = {
  'containers.list': { run: ({ engine }, p) => engine.containers.list({ all: optBool(p, 'all') ?? true }) },
  'containers.inspect': { run: ({ engine }, p) => engine.containers.inspect(str(p, 'name')) },
  'containers.stats': { run: ({ engine }, p) => engine.containers.stats(optStrList(p, 'names') ?? []) },
  'containers.top': { run: ({ engine }, p) => engine.containers.top(str(p, 'name'), optStrList(p, 'descriptors')) },
  'containers.logs': { run: (ctx, p) => streamLogs(ctx, str(p, 'name'), optNum(p, 'tail'), optBool(p, 'follow') ?? false) },
  'containers.create': {
    changes: ['containers', 'pods'],
    run: async ({ engine }, p) => {
      const options = containerCreateOptions(obj(p, 'options'));
      const created = await engine.containers.create(options);
      if (optBool(p, 'start')) await engine.containers.start(created.id);
      return created;
    },
  },
  'containers.start': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.start(str(p, 'name')) },
  'containers.stop': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.stop(str(p, 'name'), { timeout: optNum(p, 'timeout') }) },
  'containers.kill': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.kill(str(p, 'name'), optStr(p, 'signal')) },
  'containers.restart': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.restart(str(p, 'name'), { timeout: optNum(p, 'timeout') }) },
  'containers.pause': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.pause(str(p, 'name')) },
  'containers.unpause': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.unpause(str(p, 'name')) },
  'containers.rename': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.rename(str(p, 'name'), str(p, 'newName')) },
  'containers.remove': { changes: ['containers', 'pods'], run: ({ engine }, p) => engine.containers.remove(str(p, 'name'), { force: optBool(p, 'force') }) },
  'containers.commit': {
    changes: ['images'],
    run: ({ engine }, p) => engine.containers.commit(str(p, 'name'), { reference: optStr(p, 'reference'), message: optStr(p, 'message') }),
  },
};
