/**
 * Go's text/tabwriter (elastic tabstops), as Docker uses it for `table` formats.
 *
 * Input is cells terminated by '\t' (or '\v', a soft tab) within lines ended by '\n' (or '\f',
 * which also ends every column). Tab-terminated cells in consecutive lines form a column block;
 * every cell of a block is padded to the block's widest cell plus `padding`, and at least to
 * `minwidth`. The text after a line's last tab is not part of any column and is never padded.
 * Docker's copy measures cells in terminal columns (East Asian wide characters count 2); upstream
 * Go counts runes — choose with `width`.
 */

export interface TabwriterOptions {
  /** Minimal cell width, padding included. */
  minwidth: number;
  /** Width of a tab character when padding with tabs. */
  tabwidth: number;
  /** Added to the widest cell of a column. */
  padding: number;
  /** ' ' or '\t' (tab padding always aligns left). */
  padchar: string;
  alignRight?: boolean;
  /** Columns made only of empty soft-tab ('\v') cells take no space. */
  discardEmptyColumns?: boolean;
  /** Pad leading empty cells with tabs whatever padchar is. */
  tabIndent?: boolean;
  /** Print '|' between columns. */
  debug?: boolean;
  /** How wide a cell's text is: 'runes' (Go) or 'terminal' (Docker, wide characters count 2). */
  width?: 'runes' | 'terminal';
}

/** tabwriter.NewWriter(out, 10, 1, 3, ' ', 0): what `docker ... --format 'table ...'` uses. */
export const DOCKER_TABLE: TabwriterOptions = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ', width: 'terminal' };

interface Cell {
  text: string;
  width: number;
  /** Terminated by a hard tab. */
  htab: boolean;
}

const zeroWidth = /[\p{Mn}\p{Me}\p{Cf}]/u;
const controlChar = /\p{Cc}/u;

function isWide(r: number): boolean {
  return (
    (r >= 0x1100 && r <= 0x115f) ||
    (r >= 0x2e80 && r <= 0x303e) ||
    (r >= 0x3041 && r <= 0x33ff) ||
    (r >= 0x3400 && r <= 0x4dbf) ||
    (r >= 0x4e00 && r <= 0x9fff) ||
    (r >= 0xa000 && r <= 0xa4cf) ||
    (r >= 0xa960 && r <= 0xa97f) ||
    (r >= 0xac00 && r <= 0xd7a3) ||
    (r >= 0xf900 && r <= 0xfaff) ||
    (r >= 0xfe10 && r <= 0xfe19) ||
    (r >= 0xfe30 && r <= 0xfe6f) ||
    (r >= 0xff00 && r <= 0xff60) ||
    (r >= 0xffe0 && r <= 0xffe6) ||
    (r >= 0x1f300 && r <= 0x1f64f) ||
    (r >= 0x1f900 && r <= 0x1f9ff) ||
    (r >= 0x20000 && r <= 0x3fffd)
  );
}

/** Terminal columns taken by s (runewidth.StringWidth, approximately). */
export function terminalWidth(s: string): number {
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  let w = 0;
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r < 0x7f) w += r >= 0x20 ? 1 : 0;
    else if (controlChar.test(ch) || zeroWidth.test(ch)) continue;
    else w += isWide(r) ? 2 : 1;
  }
  return w;
}

function runeWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

class Formatter {
  private out = '';
  private readonly widths: number[] = [];

  constructor(
    private readonly o: TabwriterOptions,
    private readonly lines: Cell[][],
  ) {}

  static cells(o: TabwriterOptions, block: string): Cell[][] {
    const measure = o.width === 'runes' ? runeWidth : terminalWidth;
    const lines: Cell[][] = [];
    let line: Cell[] = [];
    let start = 0;
    for (let i = 0; i <= block.length; i++) {
      const c = i < block.length ? block.charCodeAt(i) : 10;
      if (c !== 9 && c !== 11 && c !== 10) continue;
      const text = block.slice(start, i);
      start = i + 1;
      if (i === block.length) {
        // The unterminated last line: its final cell counts only if non-empty.
        if (text !== '') line.push({ text, width: measure(text), htab: false });
        lines.push(line);
        break;
      }
      line.push({ text, width: measure(text), htab: c === 9 });
      if (c === 10) {
        lines.push(line);
        line = [];
      }
    }
    return lines;
  }

  run(): string {
    this.format(0, this.lines.length);
    return this.out;
  }

  private padding(textw: number, cellw: number, useTabs: boolean): string {
    const { o } = this;
    if (o.padchar === '\t' || useTabs) {
      if (o.tabwidth === 0) return '';
      const w = Math.ceil(cellw / o.tabwidth) * o.tabwidth;
      return '\t'.repeat(Math.ceil((w - textw) / o.tabwidth));
    }
    return o.padchar.repeat(Math.max(cellw - textw, 0));
  }

  private writeLines(line0: number, line1: number): void {
    const { o, widths } = this;
    const alignRight = o.alignRight && o.padchar !== '\t';
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      let useTabs = Boolean(o.tabIndent);
      line.forEach((c, j) => {
        if (j > 0 && o.debug) this.out += '|';
        const w = widths[j];
        if (c.text === '') {
          if (w !== undefined) this.out += this.padding(c.width, w, useTabs);
          return;
        }
        useTabs = false;
        const pad = w !== undefined ? this.padding(c.width, w, false) : '';
        this.out += alignRight ? pad + c.text : c.text + pad;
      });
      if (i + 1 < this.lines.length) this.out += '\n';
    }
  }

  /** Formats lines [line0, line1) given the widths of the columns to the left. */
  private format(line0: number, line1: number): void {
    const { o, widths } = this;
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= this.lines[row]!.length - 1) continue;
      // This line has a cell in this column: a column block starts here.
      this.writeLines(line0, row);
      line0 = row;
      let width = o.minwidth;
      let discardable = true;
      for (; row < line1; row++) {
        const line = this.lines[row]!;
        if (column >= line.length - 1) break;
        const c = line[column]!;
        width = Math.max(width, c.width + o.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && o.discardEmptyColumns) width = 0;
      widths.push(width);
      this.format(line0, row);
      widths.pop();
      line0 = row;
    }
    this.writeLines(line0, line1);
  }
}

/** Aligns tab-separated text as Go's tabwriter does after writing it all and calling Flush. */
export function tabwrite(text: string, options: Partial<TabwriterOptions> = {}): string {
  const o: TabwriterOptions = { ...DOCKER_TABLE, ...options };
  // A form feed ends every column; each section is formatted on its own.
  return text
    .split('\f')
    .map((section) => new Formatter(o, Formatter.cells(o, section)).run())
    .join('\n');
}
