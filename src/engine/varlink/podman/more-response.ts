/**
 * Podman 1.9's MoreResponse replies for a long operation that prints log lines (push, save, load):
 * without `more`, one reply with every line and the result's `id`; with `more`, a reply per line as
 * it is printed (continues), then the last one with the `id` and no lines.
 */
import { liveStream, type CallInfo, type LiveStream, type Parameters } from '../service.js';

/** `key` is the reply's field name (Podman named it `reply` or `image`). */
export async function moreResponse(call: CallInfo, key: string, run: (log: (line: string) => void) => Promise<string>): Promise<Parameters | LiveStream> {
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  const log = (line: string) => {
    lines.push(line.endsWith('\n') ? line : `${line}\n`);
    wake?.();
  };
  const work = run(log);
  if (!call.more) {
    const id = await work;
    return { [key]: { logs: lines, id } };
  }
  let id = '';
  let failure: unknown;
  let finished = false;
  work
    .then(
      (v) => (id = v),
      (e: unknown) => (failure = e),
    )
    .finally(() => {
      finished = true;
      wake?.();
    });
  // Each line is sent the moment it is printed; the final reply is built once the work is done.
  const items = (async function* () {
    for (;;) {
      while (lines.length) yield { [key]: { logs: [lines.shift()!], id: '' } };
      if (finished) break;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  })();
  return liveStream(items, () => ({ [key]: { logs: [] as string[], id } }));
}
