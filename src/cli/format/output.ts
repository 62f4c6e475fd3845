/**
 * The --format front door for every command, with Docker's semantics (docker/cli formatter):
 *
 * - `json`: the rows as JSON (an indented array, as Podman prints; `jsonLines` for Docker's one
 *   compact object per line). Row keys are sorted, as Docker's row contexts marshal as maps.
 * - `table TEMPLATE`: a header row, then one row per item, aligned by the tabwriter; `\t` in the
 *   template separates columns. A bare `table` uses the command's default columns.
 * - any other template: rendered once per row, each followed by a newline.
 *
 * As Docker does for listing formats, the literal two-character sequences `\t` and `\n` in the
 * format become a tab and a newline, and surrounding spaces are trimmed.
 */
import { usageError } from '../../engine/errors.js';
import { goJson } from './go-json.js';
import { goMap } from './go-values.js';
import { tabwrite } from './tabwriter.js';
import { compileTemplate, type Template } from './template.js';

export { compileTemplate, type Template } from './template.js';
export { goMap } from './go-values.js';
export { goJson, type JsonOptions } from './go-json.js';
export { tabwrite, DOCKER_TABLE, type TabwriterOptions } from './tabwriter.js';

export interface FormatOptions {
  /** Column headers by field name (`ID` -> `CONTAINER ID`); others default to defaultHeader(). */
  headers?: Record<string, string>;
  /** The template used for a bare `table` (or empty) format, e.g. the command's default columns. */
  defaultTable?: string;
  /** Print `json` as one compact object per line, as Docker does, instead of an indented array. */
  jsonLines?: boolean;
}

/** A field name as a column header: `CreatedAt` -> `CREATED AT`, `IPAddress` -> `IP ADDRESS`. */
export function defaultHeader(field: string): string {
  const words = field.match(/[A-Z]+s?(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [field];
  return words.join(' ').toUpperCase();
}

/** Docker's preFormat: strip `table`, trim spaces, turn literal \t and \n into tab and newline. */
function preFormat(format: string, isTable: boolean): string {
  const body = isTable ? format.slice('table'.length) : format;
  return body.replace(/^ +| +$/g, '').replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
}

function tableDefault(opts: FormatOptions): string {
  if (opts.defaultTable !== undefined) return preFormat(opts.defaultTable.replace(/^table/, ''), false);
  const fields = Object.keys(opts.headers ?? {});
  if (fields.length === 0) throw usageError('the "table" format needs a template, e.g. table {{.ID}}\\t{{.Name}}');
  return fields.map((f) => `{{.${f}}}`).join('\t');
}

/** Objects among the rows are Go maps to `json` (sorted keys), as Docker's row contexts are. */
function asMaps(rows: unknown[]): unknown[] {
  for (const r of rows) if (r !== null && typeof r === 'object' && !Array.isArray(r)) goMap(r);
  return rows;
}

/** Renders rows the way `docker ps/images/... --format` does. */
export function formatRows(format: string, rows: unknown[], opts: FormatOptions = {}): string {
  asMaps(rows);
  if (format === 'json') {
    if (opts.jsonLines) return rows.map((r) => `${goJson(r, { escapeHTML: false })}\n`).join('');
    return `${goJson(rows, { indent: '    ' })}\n`;
  }
  const isTable = format === '' || format.startsWith('table');
  let body = isTable ? preFormat(format, true) : preFormat(format, false);
  if (isTable && body === '') body = tableDefault(opts);
  const tmpl = compileTemplate(body);
  let out = '';
  for (const row of rows) out += `${tmpl.render(row)}\n`;
  if (!isTable) return out;
  const headers = opts.headers ?? {};
  const header = tmpl.renderHeader((path) => {
    const last = path[path.length - 1] ?? '';
    return headers[path.join('.')] ?? headers[last] ?? defaultHeader(last);
  });
  return tabwrite(`${header}\n${out}`);
}

/**
 * Renders one object, as `inspect --format` and `version --format` do: the template once plus a
 * newline, `json` as indented JSON, `table ...` as a one-row table. The template is used as
 * written (Docker's inspect does not translate \t or \n).
 */
export function formatOne(format: string, value: unknown, opts: FormatOptions = {}): string {
  if (format === 'json') return `${goJson(value, { indent: '    ' })}\n`;
  if (format.startsWith('table')) return formatRows(format, [value], opts);
  const tmpl: Template = compileTemplate(format);
  return `${tmpl.render(value)}\n`;
}
