/**
 * Benchmark scenarios: the same work done by selkie and by podman (and a floor where one exists),
 * measured in alternation so machine noise hits both alike. Each issue adds its scenarios here.
 */
import { containerScenarios } from './container-scenarios.js';
import { imagesManyScenario } from './images-scenario.js';
import { networkScenarios } from './network-scenarios.js';
import { podScenarios } from './pod-scenarios.js';
import { pullScenarios } from './pull-scenarios.js';
import { rootlessScenarios } from './rootless-scenarios.js';
import { varlinkScenarios } from './varlink-scenarios.js';

export interface Scenario {
  name: string;
  /** The target, printed next to the ratio. */
  target: string;
  selkie: string[];
  podman?: string[];
  /** The floor: what the work cannot be faster than (bare Node start-up, bare runc). */
  floor?: string[];
  floorName?: string;
  /**
   * Untimed work before every run of a variant (warm-ups included), e.g. removing the image a cold
   * pull is about to fetch. Gets the variant's environment (podman's private CONTAINERS_CONF).
   */
  prepare?: Partial<Record<Variant, (env: NodeJS.ProcessEnv) => void>>;
  /** Slow scenarios: max(3, ceil(runs / runDivisor)) runs and one warm-up per variant instead of two. */
  runDivisor?: number;
  /**
   * Untimed set-up before the scenario's first run (registries, prepared storage roots); it may fill in
   * the argv above and registers its own clean-up (bench/cleanup.ts). Gets podman's environment.
   */
  setup?: (podmanEnv: NodeJS.ProcessEnv | undefined) => Promise<void>;
  /** Extra measurements after the timed runs, printed under the scenario's row. */
  after?: () => Promise<string[]>;
}

/** bareFloor: a `node -e 0` floor without NODE_EXTRA_CA_CERTS (bench/run.ts adds it when the variable is set). */
export type Variant = 'selkie' | 'podman' | 'floor' | 'bareFloor';

export function scenarios(selkie: string): Scenario[] {
  return [
    ...baseScenarios(selkie),
    ...pullScenarios(selkie),
    imagesManyScenario(selkie),
    ...networkScenarios(selkie),
    ...containerScenarios(selkie),
    ...podScenarios(selkie),
    ...rootlessScenarios(selkie),
    ...varlinkScenarios(selkie),
  ];
}

function baseScenarios(selkie: string): Scenario[] {
  return [
    {
      name: 'version',
      target: 'selkie within 1.3x of the floor (node -e 0)',
      selkie: [selkie, 'version'],
      podman: ['podman', 'version'],
      floor: [process.execPath, '-e', '0'],
      floorName: 'node -e 0',
    },
    {
      name: 'run --rm true',
      target: 'selkie at most 0.6x podman (containers issue)',
      selkie: [selkie, 'run', '--rm', 'localhost/busybox', 'true'],
      podman: ['podman', 'run', '--rm', 'localhost/busybox', 'true'],
    },
    {
      name: 'run --rm --network none true',
      target: 'selkie within 4x of bare runc run (containers issue)',
      selkie: [selkie, 'run', '--rm', '--network', 'none', 'localhost/busybox', 'true'],
      podman: ['podman', 'run', '--rm', '--network', 'none', 'localhost/busybox', 'true'],
    },
    {
      name: 'images',
      target: 'selkie within 1.5x of node -e 0 (images issue)',
      selkie: [selkie, 'images'],
      podman: ['podman', 'images'],
      floor: [process.execPath, '-e', '0'],
      floorName: 'node -e 0',
    },
  ];
}
