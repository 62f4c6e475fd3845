import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import type { EngineEvent } from '../../engine/types/events.js';
import { formatOne } from '../format/output.js';
import { parseFilters } from '../output/filters.js';
import { parseTimeArg } from '../output/time-arg.js';

/** Podman's event line: "2019-03-02 10:33:42.312377447 +0000 UTC container create 34503c192940 (image=..., name=...)". */
function line(e: EngineEvent, trunc: boolean): string {
  const [date, time] = e.Time.replace(/Z$/, '').split('T') as [string, string];
  const attrs = [...(e.Image ? [`image=${e.Image}`] : []), ...(e.Name ? [`name=${e.Name}`] : []), ...Object.entries(e.Attributes ?? {}).map(([k, v]) => `${k}=${v}`)];
  const id = e.ID ? ` ${trunc ? e.ID.slice(0, 12) : e.ID}` : '';
  return `${date} ${time} +0000 UTC ${e.Type} ${e.Status}${id}${attrs.length ? ` (${attrs.join(', ')})` : ''}`;
}

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: 'Show the events of containers, images, pods, volumes and networks; with --stream (default) wait for new ones',
  examples: ['selkie events --stream=false --filter type=container', "selkie events --since 10m --format '{{.Status}} {{.Name}}'"],
  configure(cmd) {
    cmd
      .option('--since <time>', 'show events created since this time (RFC 3339, Unix seconds or a duration such as 10m)')
      .option('--until <time>', 'show events created until this time')
      .option('-f, --filter <filter>', 'container=, image=, pod=, volume=, network=, event=, type=, label=', collect, [])
      .option('--format <template>', "format each event with a Go template, or 'json'")
      .option('--stream [bool]', 'keep waiting for new events (--stream=false prints the existing ones and exits)', (v) => v !== 'false', true)
      .option('--no-trunc', "don't truncate IDs");
  },
  async run(ctx, _args, opts) {
    const engine = await ctx.engine();
    const since = opts.since === undefined ? undefined : parseTimeArg(String(opts.since), '--since');
    const until = opts.until === undefined ? undefined : parseTimeArg(String(opts.until), '--until');
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const trunc = opts.trunc !== false;
    const events = engine.system.events({ since, until, filters: parseFilters(opts.filter as string[]), stream: opts.stream !== false, signal: abort.signal });
    for await (const e of events) {
      const text = opts.format === 'json' ? JSON.stringify(e) : opts.format ? formatOne(String(opts.format), e) : line(e, trunc);
      ctx.out(text.endsWith('\n') ? text : `${text}\n`);
    }
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  },
};
