/** Network shapes shared by the engine and its clients (podman-compatible JSON). */
export type { NetworkCreateOptions, NetworkInspect } from '../network/network-record.js';

export interface NetworkListOptions {
  /** name, id, driver, label (key or key=value), label!, until. */
  filters?: Record<string, string[]>;
}

export interface NetworkConnectOptions {
  /** --ip for this network. */
  ip?: string;
  aliases?: string[];
}
