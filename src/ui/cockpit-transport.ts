/**
 * The bridge process through Cockpit: a stream channel spawning `node BRIDGE` on the host — as root
 * for the system engine (superuser: 'require': without administrative access the channel is refused,
 * never quietly run as the user), or as the logged-in user for that user's own engine. Where node and
 * the bridge live comes from selkie-config.json, written next to index.html when the plugin is built
 * or installed.
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
  // Usually asked for already by config-early.js, before cockpit.js had loaded.
  const early = window.selkieConfigResponse;
  window.selkieConfigResponse = undefined;
  const r = await (early ?? fetch('selkie-config.json', { cache: 'no-store' })).catch(() => fetch('selkie-config.json', { cache: 'no-store' }));
  if (!r.ok) throw new Error(_('The plugin is not installed completely: selkie-config.json is missing. Run npm run cockpit:install.'));
  return (await r.json()) as PluginConfig;
}

/** Who the page's engines run as: 'system' = root through Cockpit's superuser, 'user' = the logged-in user. */
export type BridgeIdentity = 'system' | 'user';

export function cockpitTransport(config: PluginConfig, as: BridgeIdentity = 'system'): TransportFactory {
  return ({ onText, onClose }) => {
    const cockpit = window.cockpit;
    if (!cockpit) {
      setTimeout(() => onClose(_('this page is not running inside Cockpit')), 0);
      return { send: () => undefined, close: () => undefined };
    }
    const channel = cockpit.channel({
      payload: 'stream',
      spawn: [config.node, config.bridge, ...(config.bridgeArgs ?? [])],
      ...(as === 'system' ? { superuser: 'require' as const } : {}),
      err: 'message',
    });
    channel.addEventListener('message', (_ev, data) => onText(data));
    channel.addEventListener('close', (_ev, o) => {
      const detail = [o.message?.trim(), o.problem, o['exit-status'] !== undefined ? `exit status ${o['exit-status']}` : ''].filter(Boolean).join('; ');
      onClose(detail, o.problem);
    });
    return { send: (text) => channel.send(text), close: () => channel.close() };
  };
}
