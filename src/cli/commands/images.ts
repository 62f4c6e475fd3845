import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { formatRows } from '../format/output.js';
import { ago, goTime, humanSize } from '../output/human.js';
import { parseFilters } from '../output/filters.js';

const defaultFormat = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
const headers = { Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', Size: 'SIZE', Digest: 'DIGEST' };

export const command: CommandModule = {
  usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  configure(cmd) {
    cmd
      .option('-a, --all', 'show all images (default hides intermediate images)')
      .option('-q, --quiet', 'only show image IDs')
      .option('--digests', 'show digests')
      .option('--no-trunc', "don't truncate output")
      .option('--filter <filter>', 'filter output based on conditions provided', collect, [])
      .option('--format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const filters = parseFilters(opts.filter as string[]);
    if (args[0]) (filters.reference ??= []).push(args[0]);
    const images = await (await ctx.engine()).images.list({ all: Boolean(opts.all), filters });
    const trunc = opts.trunc !== false;
    const id = (i: string) => (trunc ? i.replace(/^sha256:/, '').slice(0, 12) : i);
    if (opts.quiet) {
      ctx.out([...new Set(images.map((i) => id(i.Id)))].map((i) => `${i}\n`).join(''));
      return;
    }
    const rows = images.flatMap((img) => {
      const names = img.RepoTags.length ? img.RepoTags : ['<none>:<none>'];
      return names.map((n) => {
        const at = n.lastIndexOf(':');
        const repo = n.slice(0, at);
        const digest = img.RepoDigests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1] ?? '<none>';
        return {
          ID: id(img.Id),
          Id: img.Id,
          Repository: repo,
          Tag: n.slice(at + 1),
          Digest: digest,
          CreatedSince: ago(img.Created),
          CreatedAt: goTime(img.Created),
          Created: img.Created,
          Size: humanSize(img.Size),
          Labels: img.Labels,
          Names: img.RepoTags,
          Digests: img.RepoDigests,
          Dangling: img.Dangling,
        };
      });
    });
    const fmt = String(opts.format ?? (opts.digests ? defaultFormat.replace('{{.Tag}}\t', '{{.Tag}}\t{{.Digest}}\t') : defaultFormat));
    if (fmt === 'json') {
      ctx.out(JSON.stringify(images, null, 4));
      return;
    }
    ctx.out(formatRows(fmt, rows, { headers, defaultTable: defaultFormat }));
  },
};
