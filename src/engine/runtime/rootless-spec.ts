/**
 * What a rootless container's spec cannot have on this kind of host: cgroups. The user's namespace
 * has no delegated cgroup (no systemd user session; v1/hybrid hierarchies are root's), so the
 * runtime runs the container in the caller's cgroup, without limits — Podman's `--cgroups=disabled`.
 * Resource flags are refused with a clear error rather than silently ignored.
 */
import { invalid } from '../errors.js';
import type { SpecInput } from './oci-spec.js';

export function rootlessSpecChanges(input: SpecInput): SpecInput {
  const asked: string[] = [];
  if (input.memoryLimit) asked.push('--memory');
  if (input.memorySwap && input.memorySwap > 0) asked.push('--memory-swap');
  if (input.cpus) asked.push('--cpus');
  if (input.cpuShares) asked.push('--cpu-shares');
  if (input.pidsLimit !== undefined && input.pidsLimit > 0) asked.push('--pids-limit');
  if (asked.length) {
    throw invalid(
      `${asked.join(', ')}: rootless containers cannot have resource limits here (no cgroup is delegated to the user)`,
      'run the container as root, or without the resource flags',
    );
  }
  const { cgroupsPath: _dropped, ...rest } = input;
  return rest;
}
