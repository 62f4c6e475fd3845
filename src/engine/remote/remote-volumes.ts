/** VolumeService and NetworkService over varlink (io.selkie volume and network methods). */
import type { NetworkService, VolumeService } from '../engine.js';
import type { NetworkConnectOptions, NetworkCreateOptions, NetworkInspect, NetworkListOptions } from '../types/network.js';
import type { VolumeCreateOptions, VolumeInspect, VolumeListOptions, VolumePruneReport } from '../types/volume.js';
import type { RemoteCalls } from './remote-calls.js';

export class RemoteVolumeService implements VolumeService {
  constructor(private readonly calls: RemoteCalls) {}

  async create(opts?: VolumeCreateOptions): Promise<VolumeInspect> {
    return (await this.calls.call('CreateVolume', { options: opts ?? {} })).volume as VolumeInspect;
  }
  async list(opts?: VolumeListOptions): Promise<VolumeInspect[]> {
    return (await this.calls.call('ListVolumes', { options: opts ?? {} })).volumes as VolumeInspect[];
  }
  async inspect(name: string): Promise<VolumeInspect> {
    return (await this.calls.call('InspectVolume', { name })).volume as VolumeInspect;
  }
  async exists(name: string): Promise<boolean> {
    return (await this.calls.call('VolumeExists', { name })).exists as boolean;
  }
  async remove(name: string, opts?: { force?: boolean }): Promise<void> {
    await this.calls.call('RemoveVolume', { name, force: Boolean(opts?.force) });
  }
  async prune(opts?: { filters?: Record<string, string[]> }): Promise<VolumePruneReport> {
    return (await this.calls.call('PruneVolumes', { filters: opts?.filters ?? {} })).report as VolumePruneReport;
  }
}

export class RemoteNetworkService implements NetworkService {
  constructor(private readonly calls: RemoteCalls) {}

  async create(opts: NetworkCreateOptions): Promise<NetworkInspect> {
    return (await this.calls.call('CreateNetwork', { options: opts })).network as NetworkInspect;
  }
  async list(opts?: NetworkListOptions): Promise<NetworkInspect[]> {
    return (await this.calls.call('ListNetworks', { options: opts ?? {} })).networks as NetworkInspect[];
  }
  async inspect(name: string): Promise<NetworkInspect> {
    return (await this.calls.call('InspectNetwork', { name })).network as NetworkInspect;
  }
  async exists(name: string): Promise<boolean> {
    return (await this.calls.call('NetworkExists', { name })).exists as boolean;
  }
  async remove(name: string, opts?: { force?: boolean }): Promise<string> {
    return (await this.calls.call('RemoveNetwork', { name, force: Boolean(opts?.force) })).name as string;
  }
  async prune(opts?: NetworkListOptions): Promise<string[]> {
    return (await this.calls.call('PruneNetworks', { options: opts ?? {} })).names as string[];
  }
  async connect(network: string, container: string, opts?: NetworkConnectOptions): Promise<void> {
    await this.calls.call('ConnectNetwork', { network, container, options: opts ?? {} });
  }
  async disconnect(network: string, container: string, opts?: { force?: boolean }): Promise<void> {
    await this.calls.call('DisconnectNetwork', { network, container, force: Boolean(opts?.force) });
  }
}
