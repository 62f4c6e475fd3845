/**
 * Entry of the page. Kept small on purpose: it reads the plugin config, spawns the bridges (the
 * system engine's at once, the user's own once Cockpit says who is logged in) and asks for their
 * lists, while the browser still loads React, PatternFly and the App (a separate chunk). First paint
 * then waits for whichever is slower, not for both in a row.
 */
import { cockpitTransport, loadPluginConfig } from './cockpit-transport.js';
import { openEngines } from './engines/engine-set.js';

performance.mark('selkie:start');
const started = loadPluginConfig().then((config) => {
  performance.mark('selkie:config');
  return openEngines({
    transport: (owner) => cockpitTransport(config, owner),
    whoami: async () => {
      const cockpit = window.cockpit;
      if (!cockpit?.user) return undefined;
      const u = await cockpit.user();
      return { id: u.id, name: u.name };
    },
  });
});
const ui = import('./render.js');

Promise.all([started, ui]).then(
  ([engines, { renderApp }]) => renderApp(engines),
  async (e: unknown) => (await ui).renderFailure(e),
);
