/** "Did you mean ...?" for mistyped commands: the closest names by edit distance. */
export function suggest(input: string, names: readonly string[], max = 2): string[] {
  const scored = names
    .map((n) => ({ n, d: distance(input, n) }))
    .filter(({ n, d }) => d <= Math.max(2, Math.floor(n.length / 3)) || n.startsWith(input))
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return scored.slice(0, 3).filter((s, i) => i === 0 || s.d <= scored[0]!.d + max - 1).map((s) => s.n);
}

export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
