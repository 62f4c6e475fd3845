/** A network as the state database keeps it, and the podman-compatible JSON `network inspect` prints. */

export interface NetworkRecord {
  id: string;
  name: string;
  driver: 'bridge';
  /** Linux bridge interface, e.g. selkie0. */
  bridge: string;
  subnet: string;
  gateway: string;
  internal: boolean;
  dnsEnabled: boolean;
  labels: Record<string, string>;
  created: number;
}

/** The default network every root container joins unless told otherwise. */
export const DEFAULT_NETWORK = {
  name: 'selkie',
  bridge: 'selkie0',
  subnet: '10.77.0.0/16',
  gateway: '10.77.0.1',
} as const;

/** Podman's `network inspect` shape. */
export interface NetworkInspect {
  name: string;
  id: string;
  driver: string;
  network_interface: string;
  created: string;
  subnets: { subnet: string; gateway: string }[];
  ipv6_enabled: boolean;
  internal: boolean;
  dns_enabled: boolean;
  labels?: Record<string, string>;
  ipam_options: { driver: string };
}

export function toNetworkInspect(n: NetworkRecord): NetworkInspect {
  return {
    name: n.name,
    id: n.id,
    driver: n.driver,
    network_interface: n.bridge,
    created: new Date(n.created).toISOString(),
    subnets: [{ subnet: n.subnet, gateway: n.gateway }],
    ipv6_enabled: false,
    internal: n.internal,
    dns_enabled: n.dnsEnabled,
    ...(Object.keys(n.labels).length ? { labels: n.labels } : {}),
    ipam_options: { driver: 'host-local' },
  };
}

export interface NetworkCreateOptions {
  name?: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  labels?: Record<string, string>;
  disableDns?: boolean;
  /** Bridge interface name (podman's --interface-name). */
  interfaceName?: string;
  /** Succeed when the network exists already (--ignore). */
  ignore?: boolean;
}
