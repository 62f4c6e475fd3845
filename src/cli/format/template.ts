/**
 * Compiled Go templates: parse once, render many rows. Compiled templates are immutable and
 * cached by source text, so commands can call compileTemplate per invocation for free.
 */
import { HEADER_FUNCTIONS, TEMPLATE_FUNCTIONS } from './docker-functions.js';
import { execute, HeaderData } from './exec.js';
import type { FuncTable } from './functions.js';
import { parseTemplate, type ParsedTemplate } from './parser.js';

export interface Template {
  /** The template text. */
  readonly source: string;
  /** Names of the fields read from the data (`ID` for `{{.ID}}`), in first-use order. */
  readonly fields: readonly string[];
  /** Renders the template over data; throws SelkieError ("template parsing error: ...") on failure. */
  render(data: unknown): string;
}

export class CompiledTemplate implements Template {
  readonly source: string;
  readonly fields: readonly string[];

  constructor(
    private readonly tree: ParsedTemplate,
    private readonly funcs: FuncTable,
  ) {
    this.source = tree.src;
    this.fields = tree.fields;
  }

  render(data: unknown): string {
    const { output, error } = execute(this.tree, data, this.funcs);
    if (error) throw error;
    return output;
  }

  /**
   * Renders the header row of a table: each field chain prints its header text, and functions
   * that would transform a value (json, join, upper, truncate, ...) pass it through. As in Docker,
   * an execution error keeps the output written so far.
   */
  renderHeader(header: (path: readonly string[]) => string): string {
    return execute(this.tree, new HeaderData(header), HEADER_FUNCTIONS).output;
  }
}

const cache = new Map<string, CompiledTemplate>();
const CACHE_SIZE = 64;

/** Parses a Go template with Go's and Docker's functions; throws SelkieError on syntax errors. */
export function compileTemplate(src: string): CompiledTemplate {
  const hit = cache.get(src);
  if (hit) return hit;
  const t = new CompiledTemplate(
    parseTemplate(src, (name) => TEMPLATE_FUNCTIONS.has(name)),
    TEMPLATE_FUNCTIONS,
  );
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(src, t);
  return t;
}
