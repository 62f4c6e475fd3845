/**
 * What joining a pod changes in a container's create options: the network of the infra container
 * when the pod shares it (ports and networks are the pod's: Podman refuses them on a member), the
 * pod's hostname when it shares UTS, and the membership the container records.
 */
import { usageError } from '../errors.js';
import type { ContainerCreateOptions } from '../types/container.js';
import type { PodMembership } from './pod-namespaces.js';
import type { PodRecord } from './pod-store.js';

export function podJoin(pod: PodRecord, opts: ContainerCreateOptions): { membership: PodMembership; opts: ContainerCreateOptions } {
  const membership: PodMembership = { id: pod.id, name: pod.name, share: pod.infraId ? pod.config.share : [], infraId: pod.infraId };
  const out = { ...opts };
  if (pod.infraId && pod.config.share.includes('net')) {
    const own = (opts.network ?? '').split(',').map((v) => v.trim()).filter((v) => v && v !== 'bridge' && v !== 'default');
    if (own.length || opts.publish?.length || opts.publishAll || opts.ip || opts.dns?.length || opts.addHosts?.length) {
      throw usageError(
        `container of pod ${pod.name} cannot set its own network, ports, DNS or hosts: it shares the pod's network`,
        `give them to the pod: selkie pod create --name ${pod.name} -p ... (or create the pod without --share net)`,
      );
    }
    out.network = `container:${pod.infraId}`;
  }
  if (pod.infraId && pod.config.share.includes('uts') && opts.hostname === undefined) out.hostname = pod.config.hostname;
  return { membership, opts: out };
}
