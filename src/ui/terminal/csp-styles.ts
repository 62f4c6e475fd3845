/**
 * Cockpit serves pages with a Content-Security-Policy that forbids inline styles, and xterm.js puts
 * its theme colours and cell sizes in <style> elements it creates inside the terminal: the browser
 * ignores those. This mirrors every such element's text into a constructed style sheet on the
 * document (adoptedStyleSheets, which the policy does not govern), kept current as xterm rewrites it.
 */
export function mirrorStyleElements(root: HTMLElement): () => void {
  const doc = root.ownerDocument;
  if (typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in doc) || typeof MutationObserver === 'undefined') return () => undefined;
  const sheets = new Map<HTMLStyleElement, { sheet: CSSStyleSheet; text: string }>();
  const sync = () => {
    const present = new Set(Array.from(root.querySelectorAll('style')));
    for (const el of present) {
      const text = el.textContent ?? '';
      let entry = sheets.get(el);
      if (!entry) {
        entry = { sheet: new CSSStyleSheet(), text: '' };
        sheets.set(el, entry);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, entry.sheet];
      }
      if (entry.text !== text) {
        entry.sheet.replaceSync(text);
        entry.text = text;
      }
    }
    for (const [el, entry] of sheets) {
      if (present.has(el)) continue;
      sheets.delete(el);
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== entry.sheet);
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const ours = new Set([...sheets.values()].map((e) => e.sheet));
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !ours.has(s));
    sheets.clear();
  };
}
