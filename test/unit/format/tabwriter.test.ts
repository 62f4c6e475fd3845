import { describe, expect, it } from 'vitest';
import { tabwrite, terminalWidth } from '../../../src/cli/format/tabwriter.js';

describe("tabwrite: Go's text/tabwriter examples", () => {
  it('pads with tabs to tab stops (minwidth 0, tabwidth 8, padding 0, padchar tab)', () => {
    const out = tabwrite('a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n', {
      minwidth: 0,
      tabwidth: 8,
      padding: 0,
      padchar: '\t',
    });
    expect(out).toBe('a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n\n');
  });

  it('aligns right (minwidth 5, padding 1, AlignRight)', () => {
    const out = tabwrite('a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n', {
      minwidth: 5,
      tabwidth: 0,
      padding: 1,
      padchar: ' ',
      alignRight: true,
    });
    expect(out).toBe('    a     b       c         d.\n  123 12345 1234567 123456789.\n\n');
  });

  it('forms columns only from contiguous cells (elastic tabstops, Debug)', () => {
    const out = tabwrite('a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n', {
      minwidth: 0,
      tabwidth: 0,
      padding: 1,
      padchar: '.',
      alignRight: true,
      debug: true,
    });
    expect(out).toBe('....a|..b|c\n...aa|.bb|cc\n..aaa|\n.aaaa|.dddd|eeee\n');
  });
});

describe("tabwrite with Docker's settings (minwidth 10, padding 3)", () => {
  it('pads every column to its widest cell plus 3, at least 10', () => {
    const out = tabwrite('CONTAINER ID\tIMAGE\tNAMES\n4c01db0b339c\tubuntu\tweb\nd7886598dbe2\tredis\tdb\n');
    expect(out).toBe('CONTAINER ID   IMAGE     NAMES\n4c01db0b339c   ubuntu    web\nd7886598dbe2   redis     db\n');
  });

  it('never pads the last cell of a line', () => {
    expect(tabwrite('a\tlong last cell\nb\tx\n')).toBe('a         long last cell\nb         x\n');
  });

  it('pads empty cells, including a trailing tab-terminated one', () => {
    expect(tabwrite('a\t\tc\n\tb\tc\n')).toBe(`a${' '.repeat(19)}c\n${' '.repeat(10)}b         c\n`);
    expect(tabwrite('x\ty\t\n')).toBe(`x         y${' '.repeat(9)}\n`);
  });

  it('ends a column block at a line without tabs', () => {
    expect(tabwrite('aaaaaaaaaaaa\tb\nno tabs here\nc\td\n')).toBe('aaaaaaaaaaaa   b\nno tabs here\nc         d\n');
  });

  it('keeps unterminated trailing text and lines without newline', () => {
    expect(tabwrite('a\tb\nc\td')).toBe('a         b\nc         d');
    expect(tabwrite('')).toBe('');
  });

  it('measures wide characters in terminal columns (runes with width: runes)', () => {
    expect(terminalWidth('名前')).toBe(4);
    expect(terminalWidth('e\u0301')).toBe(1);
    expect(tabwrite('名前\tX\nab\tY\n')).toBe('名前      X\nab        Y\n');
    expect(tabwrite('名前\tX\n', { width: 'runes' })).toBe('名前        X\n');
  });

  it('resets columns at a form feed and discards empty soft-tab columns on request', () => {
    expect(tabwrite('aaaaaaaaaaaaaaa\tb\fc\td\n')).toBe('aaaaaaaaaaaaaaa   b\nc         d\n');
    const soft = { minwidth: 0, padding: 1, padchar: '.' };
    expect(tabwrite('a\v\vb\n', soft)).toBe('a..b\n');
    expect(tabwrite('a\v\vb\n', { ...soft, discardEmptyColumns: true })).toBe('a.b\n');
  });
});
