/**
 * RemoteEngine: the Engine interface over varlink, to a `selkie system service --varlink` on a unix
 * socket or, through `ssh … selkie varlink bridge`, on another host. The CLI gets it from
 * CliContext.engine() with --url, --connection, --remote or CONTAINER_HOST.
 */
import type { Engine, SystemService } from '../engine.js';
import type { EngineEvent, EventsOptions } from '../types/events.js';
import type { SystemInfo, VersionInfo } from '../types/system.js';
import { RemoteCalls } from './remote-calls.js';
import { RemoteContainerService } from './remote-containers.js';
import { RemoteImageService } from './remote-images.js';
import { RemoteKubeService, RemotePodService } from './remote-pods.js';
import { parseRemoteUrl, type RemoteTarget } from './remote-target.js';
import { RemoteNetworkService, RemoteVolumeService } from './remote-volumes.js';

export class RemoteSystemService implements SystemService {
  constructor(private readonly calls: RemoteCalls) {}

  async version(): Promise<VersionInfo> {
    return (await this.calls.call('Version')).version as VersionInfo;
  }
  async info(): Promise<SystemInfo> {
    return (await this.calls.call('Info')).info as SystemInfo;
  }
  async *events(opts?: EventsOptions): AsyncIterable<EngineEvent> {
    const { signal, ...options } = opts ?? {};
    const replies = this.calls.more('Events', { options })[Symbol.asyncIterator]();
    // The signal ends the iteration, which closes the call's connection (the service stops following).
    const aborted = new Promise<IteratorResult<Record<string, unknown>>>((resolve) => {
      if (signal?.aborted) resolve({ done: true, value: undefined });
      signal?.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true });
    });
    try {
      for (;;) {
        const r = await Promise.race([replies.next(), aborted]);
        if (r.done) return;
        if (r.value.event) yield r.value.event as EngineEvent;
      }
    } finally {
      void replies.return?.();
    }
  }
}

export class RemoteEngine implements Engine {
  readonly containers: RemoteContainerService;
  readonly images: RemoteImageService;
  readonly system: RemoteSystemService;
  readonly networks: RemoteNetworkService;
  readonly volumes: RemoteVolumeService;
  readonly pods: RemotePodService;
  readonly kube: RemoteKubeService;
  private readonly calls: RemoteCalls;

  constructor(target: RemoteTarget | string, opts: { identity?: string } = {}) {
    this.calls = new RemoteCalls(typeof target === 'string' ? parseRemoteUrl(target, opts.identity) : target);
    this.containers = new RemoteContainerService(this.calls);
    this.images = new RemoteImageService(this.calls);
    this.system = new RemoteSystemService(this.calls);
    this.networks = new RemoteNetworkService(this.calls);
    this.volumes = new RemoteVolumeService(this.calls);
    this.pods = new RemotePodService(this.calls);
    this.kube = new RemoteKubeService(this.calls);
  }

  /** Where it connects (unix:///path or ssh://user@host:port/path). */
  get url(): string {
    return this.calls.label;
  }

  async close(): Promise<void> {
    this.calls.close();
  }
}
