import { usageError } from '../../engine/errors.js';
import type { CommandModule } from '../command-module.js';
import { formatRows } from '../format/output.js';
import { ago, humanSize } from '../output/human.js';

const defaultFormat = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
const headers = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

/** Docker's stringutils.Ellipsis: at most `max` characters, the last one an ellipsis when cut. */
function ellipsis(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Go's time.RFC3339 in UTC, as Docker's history prints CREATED with --human=false. */
function rfc3339(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE',
  description: 'Show the history of an image',
  configure(cmd) {
    cmd
      .argument('[image]')
      .option('-H, --human [bool]', 'print sizes and dates in human readable format (--human=false for exact values)', 'true')
      .option('--no-trunc', "don't truncate output")
      .option('-q, --quiet', 'only show image IDs')
      .option('--format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    // `-H IMAGE`: the optional value of -H is the image (Docker's -H is a boolean flag).
    let image = args[0];
    let humanFlag = String(opts.human);
    if (image === undefined && !['true', 'false', '1', '0'].includes(humanFlag)) [image, humanFlag] = [humanFlag, 'true'];
    if (image === undefined) throw usageError('"history" requires exactly 1 argument', 'usage: selkie history [OPTIONS] IMAGE');
    const entries = await (await ctx.engine()).images.history(image);
    const trunc = opts.trunc !== false;
    const human = humanFlag !== 'false' && humanFlag !== '0';
    const id = (i: string) => (trunc && i.startsWith('sha256:') ? i.slice(7, 19) : i);
    if (opts.quiet) {
      ctx.out(entries.map((e) => `${id(e.Id)}\n`).join(''));
      return;
    }
    const rows = entries.map((e) => {
      const createdBy = e.CreatedBy.replace(/\t/g, ' ');
      return {
        ID: id(e.Id),
        CreatedSince: human ? ago(e.Created) : rfc3339(e.Created),
        CreatedAt: rfc3339(e.Created),
        CreatedBy: trunc ? ellipsis(createdBy, 45) : createdBy,
        Size: human ? humanSize(e.Size) : String(e.Size),
        Comment: e.Comment,
        Tags: e.Tags,
      };
    });
    const fmt = String(opts.format ?? defaultFormat);
    if (fmt === 'json') {
      ctx.out(JSON.stringify(entries, null, 4));
      return;
    }
    ctx.out(formatRows(fmt, rows, { headers, defaultTable: defaultFormat }));
  },
};
