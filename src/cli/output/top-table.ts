/** `top` output: the descriptors' titles and one row per process, columns padded as ps does. */
import type { TopResult } from '../../engine/types/container-ops.js';
import type { CliContext } from '../context.js';

export function printTop(ctx: CliContext, top: TopResult): void {
  const rows = [top.titles, ...top.processes];
  const widths = top.titles.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  ctx.out(rows.map((r) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('   ')).join('\n'));
}
