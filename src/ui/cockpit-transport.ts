/**
 * The bridge process through Cockpit: a stream channel spawning `node BRIDGE` on the host, as root
 * when the session may (superuser: 'try'). Where node and the bridge live comes from
 * selkie-config.json, written next to index.html when the plugin is built or installed.
 */
import type { TransportFactory } from './bridge-client.js';
import { _ } from './i18n.js';

export interface PluginConfig {
  node: string;
  bridge: string;
  /** Extra arguments for the bridge (--root, --runroot). */
  bridgeArgs?: string[];
}

export async function loadPluginConfig(): Promise<PluginConfig> {
  const r = await fetch('selkie-config.json', { cache: 'no-store' });
  if (!r.ok) throw new Error(_('The plugin is not installed completely: selkie-config.json is missing. Run npm run cockpit:install.'));
  return (await r.json()) as PluginConfig;
}

export function cockpitTransport(config: PluginConfig): TransportFactory {
  return ({ onText, onClose }) => {
    const cockpit = window.cockpit;
    if (!cockpit) {
      setTimeout(() => onClose(_('this page is not running inside Cockpit')), 0);
      return { send: () => undefined, close: () => undefined };
    }
    const channel = cockpit.channel({
      payload: 'stream',
      spawn: [config.node, config.bridge, ...(config.bridgeArgs ?? [])],
      superuser: 'try',
      err: 'message',
    });
    channel.addEventListener('message', (_ev, data) => onText(data));
    channel.addEventListener('close', (_ev, o) => {
      const detail = [o.message?.trim(), o.problem, o['exit-status'] !== undefined ? `exit status ${o['exit-status']}` : ''].filter(Boolean).join('; ');
      onClose(detail);
    });
    return { send: (text) => channel.send(text), close: () => channel.close() };
  };
}
