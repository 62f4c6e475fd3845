/** PodService and KubeService over varlink (io.selkie pod and kube methods). */
import type { KubeService, PodService } from '../engine.js';
import type { ContainerStats } from '../containers/container-stats.js';
import type { PlayKubeReport } from '../kube/kube-types.js';
import type { TopResult } from '../types/container-ops.js';
import type { PodActionReport, PodCreateOptions, PodInspect, PodPruneReport, PodSummary } from '../types/pod.js';
import type { RemoteCalls } from './remote-calls.js';

export class RemotePodService implements PodService {
  constructor(private readonly calls: RemoteCalls) {}

  private async report(method: string, parameters: Record<string, unknown>): Promise<PodActionReport> {
    return (await this.calls.call(method, parameters)).report as PodActionReport;
  }
  async create(opts?: PodCreateOptions) {
    return (await this.calls.call('CreatePod', { options: opts ?? {} })) as { id: string; name: string };
  }
  start(name: string) {
    return this.report('StartPod', { name });
  }
  stop(name: string, opts?: { timeout?: number }) {
    return this.report('StopPod', { name, timeout: opts?.timeout });
  }
  restart(name: string, opts?: { timeout?: number }) {
    return this.report('RestartPod', { name, timeout: opts?.timeout });
  }
  kill(name: string, signal?: string) {
    return this.report('KillPod', { name, signal });
  }
  pause(name: string) {
    return this.report('PausePod', { name });
  }
  unpause(name: string) {
    return this.report('UnpausePod', { name });
  }
  async remove(name: string, opts?: { force?: boolean; timeout?: number }) {
    return (await this.calls.call('RemovePod', { name, force: Boolean(opts?.force), timeout: opts?.timeout })) as { id: string; removed: string[] };
  }
  async list(opts?: { filters?: Record<string, string[]> }): Promise<PodSummary[]> {
    return (await this.calls.call('ListPods', { filters: opts?.filters ?? {} })).pods as PodSummary[];
  }
  async inspect(name: string): Promise<PodInspect> {
    return (await this.calls.call('InspectPod', { name })).pod as PodInspect;
  }
  async top(name: string, descriptors?: string[]): Promise<TopResult> {
    return (await this.calls.call('TopPod', { name, descriptors: descriptors ?? [] })).top as TopResult;
  }
  async stats(names?: string[]) {
    return (await this.calls.call('PodStats', { names: names ?? [] })).stats as (ContainerStats & { Pod: string; PodName: string })[];
  }
  async exists(name: string): Promise<boolean> {
    return (await this.calls.call('PodExists', { name })).exists as boolean;
  }
  async prune(): Promise<PodPruneReport> {
    return (await this.calls.call('PrunePods', {})).report as PodPruneReport;
  }
}

export class RemoteKubeService implements KubeService {
  constructor(private readonly calls: RemoteCalls) {}

  async generate(names: string[], opts?: { service?: boolean }): Promise<string> {
    return (await this.calls.call('GenerateKubeYaml', { names, service: Boolean(opts?.service) })).yaml as string;
  }
  async play(yaml: string, opts?: { down?: boolean; start?: boolean; file?: string }): Promise<PlayKubeReport> {
    return (await this.calls.call('PlayKube', { yaml, down: Boolean(opts?.down), start: opts?.start, file: opts?.file })).report as PlayKubeReport;
  }
}
