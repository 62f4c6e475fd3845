/**
 * JSON-lines framing: feed text chunks in any split, get whole lines out. No Node imports, so the page
 * (cockpit channel text) and the bridge (stdin bytes decoded as UTF-8) share it.
 */
export class LineSplitter {
  private pending = '';

  /** The complete lines in `chunk` (plus what was pending), without their newlines; blank lines dropped. */
  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '');
  }

  /** Whatever is left without a final newline (at end of input). */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest.trim() === '' ? [] : [rest];
  }
}

/** One message as a line. JSON.stringify never emits a raw newline, so a line is always one message. */
export const encodeLine = (message: unknown): string => `${JSON.stringify(message)}\n`;
