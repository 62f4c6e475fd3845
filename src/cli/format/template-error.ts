/**
 * Template errors, worded as Docker prints Go's: "template parsing error: template: :LINE:COL: ...".
 * Go reports execution errors with the same prefix (Docker wraps both the same way), adding
 * `executing "NAME" at <NODE>:`. Columns are 0-based offsets within the line, as in Go.
 */
import { invalid, type SelkieError } from '../../engine/errors.js';

/** "line:col" of an offset in the template source. */
export function location(src: string, pos: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(pos, src.length);
  for (let i = 0; i < end; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${pos - lineStart}`;
}

export function parseError(src: string, pos: number, message: string): SelkieError {
  return invalid(`template parsing error: template: :${location(src, pos)}: ${message}`);
}

export function execError(src: string, pos: number, templateName: string, context: string, message: string): SelkieError {
  let ctx = context;
  if ([...ctx].length > 20) ctx = `${[...ctx].slice(0, 20).join('')}...`;
  return invalid(`template parsing error: template: :${location(src, pos)}: executing "${templateName}" at <${ctx}>: ${message}`);
}
