/** ContainerService over varlink (io.selkie container methods). */
import { PassThrough, type Readable } from 'node:stream';
import type { AttachStreams, ContainerService } from '../engine.js';
import type { ContainerStats } from '../containers/container-stats.js';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspect, ContainerListOptions, LogLine, LogOptions } from '../types/container.js';
import type { AttachOptions, CommitOptions, ContainerPathStat, ContainerPruneReport, CopyFromOptions, CopyToOptions, ExecOptions, ExecResult, FilesystemChange, TopResult } from '../types/container-ops.js';
import type { RemoteCalls } from './remote-calls.js';

const which = (s?: AttachStreams) => ({ stdin: Boolean(s?.stdin), stdout: Boolean(s?.stdout), stderr: Boolean(s?.stderr) });
const hasStreams = (s?: AttachStreams) => Boolean(s?.stdin || s?.stdout || s?.stderr);

/** An upgraded call whose first result comes before a byte stream (export, cp out). */
export function resultThenBytes<T>(calls: RemoteCalls, method: string, parameters: Record<string, unknown>): Promise<{ result: T; bytes: Readable }> {
  const bytes = new PassThrough();
  return new Promise((resolve, reject) => {
    let first = true;
    calls
      .stream(method, parameters, {
        stdout: bytes,
        onResult: (r) => {
          if (!first) return;
          first = false;
          resolve({ result: r as T, bytes });
        },
      })
      .then(
        () => bytes.end(),
        (e: unknown) => (first ? reject(e) : bytes.destroy(e as Error)),
      );
  });
}

export class RemoteContainerService implements ContainerService {
  constructor(private readonly calls: RemoteCalls) {}

  async create(opts: ContainerCreateOptions) {
    return (await this.calls.call('CreateContainer', { options: opts })) as { id: string; name: string; warnings: string[] };
  }
  async start(name: string, streams?: AttachStreams): Promise<void> {
    if (!hasStreams(streams)) await this.calls.call('StartContainer', { name });
    else await this.calls.stream('StartContainer', { name, ...which(streams) }, streams!);
  }
  async wait(name: string): Promise<number> {
    return (await this.calls.call('WaitContainer', { name })).exitCode as number;
  }
  async stop(name: string, opts?: { timeout?: number }): Promise<void> {
    await this.calls.call('StopContainer', { name, timeout: opts?.timeout });
  }
  async kill(name: string, signal?: string): Promise<void> {
    await this.calls.call('KillContainer', { name, signal });
  }
  async remove(name: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void> {
    await this.calls.call('RemoveContainer', { name, force: Boolean(opts?.force), volumes: Boolean(opts?.volumes) });
  }
  async list(opts?: ContainerListOptions): Promise<ContainerInfo[]> {
    return (await this.calls.call('ListContainers', { options: opts ?? {} })).containers as ContainerInfo[];
  }
  async inspect(name: string): Promise<ContainerInspect> {
    return (await this.calls.call('InspectContainer', { name })).container as ContainerInspect;
  }
  async stats(names?: string[]): Promise<ContainerStats[]> {
    return (await this.calls.call('ContainerStats', { names: names ?? [] })).stats as ContainerStats[];
  }
  async *logs(name: string, opts?: LogOptions): AsyncIterable<LogLine> {
    for await (const r of this.calls.more('ContainerLogs', { name, options: opts ?? {} })) if (r.line) yield r.line as LogLine;
  }
  async cleanup(name: string, opts?: { remove?: boolean; run?: string }): Promise<void> {
    await this.calls.call('CleanupContainer', { name, remove: opts?.remove, run: opts?.run });
  }
  async restart(name: string, opts?: { timeout?: number }): Promise<void> {
    await this.calls.call('RestartContainer', { name, timeout: opts?.timeout });
  }
  async pause(name: string): Promise<void> {
    await this.calls.call('PauseContainer', { name });
  }
  async unpause(name: string): Promise<void> {
    await this.calls.call('UnpauseContainer', { name });
  }
  async rename(name: string, newName: string): Promise<void> {
    await this.calls.call('RenameContainer', { name, newName });
  }
  async prune(opts?: { filters?: Record<string, string[]> }): Promise<ContainerPruneReport> {
    return (await this.calls.call('PruneContainers', { filters: opts?.filters ?? {} })).report as ContainerPruneReport;
  }
  async exec(name: string, opts: ExecOptions, streams?: AttachStreams): Promise<ExecResult> {
    if (opts.detach || !hasStreams(streams)) return (await this.calls.call('ExecInContainer', { name, options: opts })).result as ExecResult;
    return (await this.calls.stream('ExecInContainer', { name, options: opts, ...which(streams) }, streams!)) as ExecResult;
  }
  async attach(name: string, streams: AttachStreams, opts?: AttachOptions): Promise<{ detached: boolean }> {
    // Ended by streams.signal, it is a detach (the service ends the attachment when the connection closes).
    return ((await this.calls.stream('AttachContainer', { name, options: opts ?? {}, ...which(streams) }, streams)) as { detached: boolean } | undefined) ?? { detached: true };
  }
  async top(name: string, descriptors?: string[]): Promise<TopResult> {
    return (await this.calls.call('TopContainer', { name, descriptors: descriptors ?? [] })).top as TopResult;
  }
  async mount(name: string): Promise<string> {
    return (await this.calls.call('MountContainer', { name })).path as string;
  }
  async unmount(name: string): Promise<void> {
    await this.calls.call('UnmountContainer', { name });
  }
  async export(name: string): Promise<Readable> {
    return (await resultThenBytes(this.calls, 'ExportContainer', { name })).bytes;
  }
  async statPath(name: string, path: string, opts?: CopyFromOptions): Promise<ContainerPathStat> {
    return (await this.calls.call('StatContainerPath', { name, path, options: opts ?? {} })).stat as ContainerPathStat;
  }
  async copyFrom(name: string, path: string, opts?: CopyFromOptions): Promise<{ stat: ContainerPathStat; tar: Readable }> {
    const r = await resultThenBytes<ContainerPathStat>(this.calls, 'CopyFromContainer', { name, path, options: opts ?? {} });
    return { stat: r.result, tar: r.bytes };
  }
  async copyTo(name: string, path: string, tar: Readable, opts?: CopyToOptions): Promise<void> {
    await this.calls.stream('CopyToContainer', { name, path, options: opts ?? {} }, { stdin: tar });
  }
  async diff(name: string): Promise<FilesystemChange[]> {
    return (await this.calls.call('DiffContainer', { name })).changes as FilesystemChange[];
  }
  async commit(name: string, opts?: CommitOptions): Promise<string> {
    return (await this.calls.call('CommitContainer', { name, options: opts ?? {} })).id as string;
  }
}
