/**
 * Translatable strings: every user-visible string goes through `_()` (cockpit.gettext), so Cockpit's
 * translation tooling finds it. Outside Cockpit (unit tests) the text is returned unchanged.
 */
const cockpit = () => (typeof window === 'undefined' ? undefined : window.cockpit);

export const _ = (text: string): string => cockpit()?.gettext(text) ?? text;

/** `_()` with $0, $1 ... placeholders filled in (cockpit.format's convention). */
export function fmt(template: string, ...args: (string | number)[]): string {
  return _(template).replace(/\$(\d+)/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}

/** Singular or plural (cockpit.ngettext), with $0 = n. */
export function nfmt(singular: string, plural: string, n: number): string {
  const text = cockpit()?.ngettext(singular, plural, n) ?? (n === 1 ? singular : plural);
  return text.replace(/\$0/g, String(n));
}
