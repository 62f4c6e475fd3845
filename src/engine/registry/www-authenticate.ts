/**
 * Parsing WWW-Authenticate (RFC 7235): `Bearer realm="https://auth/token",service="reg",scope="repository:x:pull"`
 * or `Basic realm="x"`. Several challenges may appear in one header, separated by commas.
 */
export interface Challenge {
  /** Lower-case scheme: "bearer", "basic". */
  scheme: string;
  /** Parameter names in lower case. */
  params: Record<string, string>;
}

export function parseWwwAuthenticate(header: string | undefined): Challenge[] {
  const out: Challenge[] = [];
  if (!header) return out;
  let i = 0;
  const s = header;
  const skipWs = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = () => {
    const start = i;
    while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < s.length) {
    skipWs();
    if (s[i] === ',') {
      i++;
      continue;
    }
    const word = token();
    if (!word) {
      i++; // unexpected character: skip it
      continue;
    }
    skipWs();
    if (s[i] === '=') {
      i++;
      skipWs();
      let value: string;
      if (s[i] === '"') {
        i++;
        value = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i++];
        }
        i++; // closing quote
      } else {
        value = token();
      }
      if (current) current.params[word.toLowerCase()] = value;
    } else {
      current = { scheme: word.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}
