/** Reading TOML configuration files with errors that name the file, line and field. */
import { parse, TomlError, type TomlTable } from 'smol-toml';
import { SelkieError } from '../errors.js';

export type { TomlTable };

export function configError(file: string, message: string, hint = 'fix or delete the file'): SelkieError {
  return new SelkieError('invalid', `${file}: ${message}`, { hint });
}

/** Parses TOML text; a syntax error becomes "FILE:LINE:COL: invalid TOML: reason". */
export function parseTomlFile(text: string, file: string): TomlTable {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = e.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new SelkieError('invalid', `${file}:${e.line}:${e.column}: invalid TOML: ${reason}`, {
        hint: 'fix or delete the file',
        cause: e,
      });
    }
    throw configError(file, `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Typed field readers: undefined when the key is absent, an error naming file and field when mistyped. */
export class TomlFields {
  constructor(
    private readonly file: string,
    private readonly table: TomlTable,
    private readonly where = '',
  ) {}

  private label(key: string): string {
    return this.where ? `${this.where}: "${key}"` : `"${key}"`;
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.table, key);
  }

  string(key: string): string | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw configError(this.file, `${this.label(key)} must be a string`);
    return v;
  }

  boolean(key: string): boolean | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw configError(this.file, `${this.label(key)} must be true or false`);
    return v;
  }

  stringArray(key: string): string[] | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw configError(this.file, `${this.label(key)} must be an array of strings`);
    }
    return v as string[];
  }

  subTable(key: string): TomlTable | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!isTable(v)) throw configError(this.file, `${this.label(key)} must be a table`);
    return v;
  }

  tableArray(key: string): TomlTable[] | undefined {
    const v = this.table[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => !isTable(x))) {
      throw configError(this.file, `${this.label(key)} must be an array of tables ([[${key}]])`);
    }
    return v as TomlTable[];
  }
}
