// Starts reading selkie-config.json (which bridge to spawn) at once, while cockpit.js and the page's
// module still load: main.tsx takes this response instead of asking again. Plain script, not bundled.
window.selkieConfigResponse = fetch('selkie-config.json', { cache: 'no-store' });
