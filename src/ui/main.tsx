/**
 * Entry of the page. Kept small on purpose: it reads the plugin config, spawns the bridge and asks
 * for the lists at once, while the browser still loads React, PatternFly and the App (a separate
 * chunk). First paint then waits for whichever is slower, not for both in a row.
 */
import { BridgeClient } from './bridge-client.js';
import { cockpitTransport, loadPluginConfig } from './cockpit-transport.js';
import { prefetchLists } from './common/prefetch.js';

performance.mark('selkie:start');
const started = loadPluginConfig().then((config) => {
  performance.mark('selkie:config');
  const client = new BridgeClient(cockpitTransport(config));
  return { client, prefetched: prefetchLists(client) };
});
const ui = import('./render.js');

Promise.all([started, ui]).then(
  ([{ client, prefetched }, { renderApp }]) => renderApp(client, prefetched),
  async (e: unknown) => (await ui).renderFailure(e),
);
