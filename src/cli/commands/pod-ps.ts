import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import type { PodSummary } from '../../engine/types/pod.js';
import { formatRows } from '../format/output.js';
import { ago } from '../output/human.js';
import { parseFilters } from '../output/filters.js';

const headers = {
  ID: 'POD ID', Name: 'NAME', Status: 'STATUS', Created: 'CREATED', InfraID: 'INFRA ID', NumberOfContainers: '# OF CONTAINERS',
  ContainerNames: 'NAMES', ContainerIds: 'IDS', ContainerStatuses: 'STATUS', Labels: 'LABELS', Networks: 'NETWORKS', Cgroup: 'CGROUP',
};

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd
      .option('-q, --quiet', 'print only the pod IDs')
      .option('--no-trunc', "don't truncate pod and container IDs")
      .option('--ctr-names', 'show the names of the containers in each pod')
      .option('--ctr-ids', 'show the IDs of the containers in each pod')
      .option('--ctr-status', 'show the status of the containers in each pod')
      .option('-f, --filter <filter>', 'filter: id, name, label, status, ctr-names, ctr-ids, ctr-status, ctr-number', collect, [])
      .option('--format <template>', "format the output with a Go template, or 'json'")
      .option('--sort <field>', 'sort by created, id, name, status or number', 'created');
  },
  async run(ctx, _args, opts) {
    const pods = sortPods(await (await ctx.engine()).pods.list({ filters: parseFilters(opts.filter as string[]) }), String(opts.sort));
    const trunc = opts.trunc !== false;
    const id = (s: string) => (trunc ? s.slice(0, 12) : s);
    if (opts.quiet) {
      ctx.out(pods.map((p) => `${id(p.Id)}\n`).join(''));
      return;
    }
    if (opts.format === 'json') {
      ctx.out(JSON.stringify(pods, null, 4));
      return;
    }
    const columns = ['{{.ID}}', '{{.Name}}', '{{.Status}}', '{{.Created}}', '{{.InfraID}}'];
    if (opts.ctrNames) columns.push('{{.ContainerNames}}');
    if (opts.ctrIds) columns.push('{{.ContainerIds}}');
    if (opts.ctrStatus) columns.push('{{.ContainerStatuses}}');
    if (!opts.ctrNames && !opts.ctrIds && !opts.ctrStatus) columns.push('{{.NumberOfContainers}}');
    const defaultFormat = `table ${columns.join('\t')}`;
    const rows = pods.map((p) => ({
      ID: id(p.Id),
      Name: p.Name,
      Status: p.Status,
      Created: ago(Date.parse(p.Created) / 1000),
      InfraID: id(p.InfraId),
      NumberOfContainers: p.Containers.length,
      ContainerNames: p.Containers.map((c) => c.Names).join(','),
      ContainerIds: p.Containers.map((c) => id(c.Id)).join(','),
      ContainerStatuses: p.Containers.map((c) => c.Status).join(','),
      Labels: p.Labels,
      Networks: p.Networks.join(','),
      Cgroup: p.Cgroup,
    }));
    ctx.out(formatRows(String(opts.format ?? defaultFormat), rows, { headers, defaultTable: defaultFormat }));
  },
};

function sortPods(pods: PodSummary[], by: string): PodSummary[] {
  const key: Record<string, (p: PodSummary) => string | number> = {
    created: (p) => -Date.parse(p.Created),
    id: (p) => p.Id,
    name: (p) => p.Name,
    status: (p) => p.Status,
    number: (p) => p.Containers.length,
  };
  const k = key[by];
  if (!k) throw new Error(`invalid --sort "${by}": use created, id, name, status or number`);
  return [...pods].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}
