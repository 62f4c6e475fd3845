/**
 * The networking scenarios:
 *
 *   run --rm true (bridge)        selkie's default network (bridge selkie0, veth, IPAM, masquerade)
 *                                 vs podman's default netavark network. Target: at most 0.6x podman.
 *   run --rm --network none true  vs the floor: a bare `runc run` of the same busybox rootfs in a
 *                                 bundle of its own (made at set-up, removed at the end).
 *
 * Both use the shared storage roots like the other `run` scenarios (localhost/busybox is imported
 * there by the bench's start-up).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxRootfsTar } from '../scripts/busybox-rootfs.mjs';
import { onCleanup } from './cleanup.js';
import type { Scenario } from './scenarios.js';

export function networkScenarios(selkie: string): Scenario[] {
  const bundle = path.join('/var/tmp', `selkie-bench-runc-${process.pid}`);
  const floorId = `selkie-bench-floor-${process.pid}`;
  return [
    {
      name: 'run --rm true (bridge)',
      target: 'selkie at most 0.6x podman, both with their default bridge network (networks issue)',
      selkie: [selkie, 'run', '--rm', '--network', 'bridge', 'localhost/busybox', 'true'],
      podman: ['podman', 'run', '--rm', '--network', 'bridge', 'localhost/busybox', 'true'],
    },
    {
      name: 'run --rm --network none true vs runc',
      target: 'selkie within 4x of a bare runc run of the same rootfs',
      selkie: [selkie, 'run', '--rm', '--network', 'none', 'localhost/busybox', 'true'],
      podman: ['podman', 'run', '--rm', '--network', 'none', 'localhost/busybox', 'true'],
      floor: ['runc', 'run', '--bundle', bundle, floorId],
      floorName: 'runc run',
      setup: async () => {
        onCleanup({
          name: 'runc floor bundle',
          sync: () => {
            spawnSync('runc', ['delete', '--force', floorId]);
            fs.rmSync(bundle, { recursive: true, force: true });
          },
        });
        fs.mkdirSync(path.join(bundle, 'rootfs'), { recursive: true });
        const tar = spawnSync('tar', ['-x', '-C', path.join(bundle, 'rootfs')], { input: busyboxRootfsTar() });
        if (tar.status !== 0) throw new Error(`extracting the busybox rootfs failed: ${tar.stderr}`);
        const spec = spawnSync('runc', ['spec', '--bundle', bundle]);
        if (spec.status !== 0) throw new Error(`runc spec failed: ${spec.stderr}`);
        const cfgPath = path.join(bundle, 'config.json');
        const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8'));
        cfg.process.args = ['true'];
        cfg.process.terminal = false;
        // the host's hard limits (root lacks CAP_SYS_RESOURCE here)
        cfg.process.rlimits = [];
        fs.writeFileSync(cfgPath, JSON.stringify(cfg));
      },
    },
  ];
}
