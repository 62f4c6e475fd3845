/**
 * Benchmark scenarios: the same work done by selkie and by podman (and a floor where one exists),
 * measured in alternation so machine noise hits both alike. Each issue adds its scenarios here.
 */
export interface Scenario {
  name: string;
  /** The target, printed next to the ratio. */
  target: string;
  selkie: string[];
  podman?: string[];
  /** The floor: what the work cannot be faster than (bare Node start-up, bare runc). */
  floor?: string[];
  floorName?: string;
}

export function scenarios(selkie: string): Scenario[] {
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
