/**
 * String transforms behind template functions, with Go's exact rules: html (HTMLEscapeString),
 * js (JSEscapeString), urlquery (url.QueryEscape), and strings.Title/ToUpper/ToLower, which map
 * one rune to one rune (so "ß" stays "ß", unlike JavaScript's toUpperCase).
 */
import { isPrint, wellFormed } from './go-strings.js';

export function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case "'":
        return '&#39;';
      case '"':
        return '&#34;';
      default:
        return '\ufffd';
    }
  });
}

const JS_SPECIAL: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of wellFormed(s)) {
    const r = ch.codePointAt(0)!;
    const special = JS_SPECIAL[ch];
    if (special !== undefined) out += special;
    else if (r < 0x20) out += `\\u00${r.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (r < 0x80 || isPrint(r)) out += ch;
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape: unreserved characters kept, space as '+', everything else %XX. */
export function queryEscape(s: string): string {
  return encodeURIComponent(wellFormed(s))
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

function mapRunes(s: string, f: (ch: string) => string): string {
  let out = '';
  for (const ch of s) {
    const m = f(ch);
    // Go maps each rune to exactly one rune; multi-rune mappings (ß -> SS) do not apply.
    out += m.length === ch.length || [...m].length === 1 ? m : ch;
  }
  return out;
}

const ascii = /^[\x00-\x7f]*$/;

export function goUpper(s: string): string {
  return ascii.test(s) ? s.toUpperCase() : mapRunes(s, (ch) => ch.toUpperCase());
}

export function goLower(s: string): string {
  return ascii.test(s) ? s.toLowerCase() : mapRunes(s, (ch) => (ch === '\u0130' ? 'i' : ch.toLowerCase()));
}

const letterOrDigit = /[\p{L}\p{Nd}]/u;
const whiteSpace = /\p{White_Space}/u;

/** strings.Title's word boundaries. */
function isSeparator(ch: string): boolean {
  const r = ch.codePointAt(0)!;
  if (r <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (letterOrDigit.test(ch)) return false;
  return whiteSpace.test(ch);
}

/** strings.Title: upper-cases the first letter of every word. */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? goUpper(ch) : ch;
    prev = ch;
  }
  return out;
}
