/** ImageService over varlink (io.selkie image methods); pull/push/copy progress arrives as `more` replies. */
import type { Readable, Writable } from 'node:stream';
import type { ImageService } from '../engine.js';
import type { ImageImportOptions, ImageInspect, ImageListOptions, ImageSummary } from '../types/image.js';
import type { ImageHistoryEntry, ImageLoadReport, ImagePruneOptions, ImagePruneReport, ImageSaveOptions } from '../types/image-ops.js';
import type { ImageCopyOptions, LoginOptions, PullOptions, PushOptions, RemoteImageInspect } from '../registry/pull-types.js';
import type { ImageSearchOptions, ImageSearchResult, ManifestInspectOptions, ManifestInspectResult } from '../registry/search-types.js';
import type { RemoteCalls } from './remote-calls.js';

/** The options without their callback (it stays here and gets the progress replies). */
function withoutProgress<T extends { onProgress?: unknown }>(opts: T | undefined): Omit<T, 'onProgress'> {
  const { onProgress: _, ...rest } = opts ?? ({} as T);
  return rest;
}

export class RemoteImageService implements ImageService {
  constructor(private readonly calls: RemoteCalls) {}

  private async progressCall(method: string, parameters: Record<string, unknown>, onProgress: ((p: never) => void) | undefined, key: string): Promise<string> {
    let result = '';
    for await (const r of this.calls.more(method, parameters)) {
      if (r.progress !== undefined) onProgress?.(r.progress as never);
      if (typeof r[key] === 'string') result = r[key] as string;
    }
    return result;
  }

  async import(source: Readable, opts: ImageImportOptions): Promise<string> {
    return (await this.calls.stream('ImportImage', { options: opts }, { stdin: source })) as string;
  }
  async list(opts?: ImageListOptions): Promise<ImageSummary[]> {
    return (await this.calls.call('ListImages', { options: opts ?? {} })).images as ImageSummary[];
  }
  async inspect(name: string): Promise<ImageInspect> {
    return (await this.calls.call('InspectImage', { name })).image as ImageInspect;
  }
  async exists(name: string): Promise<boolean> {
    return (await this.calls.call('ImageExists', { name })).exists as boolean;
  }
  async tag(name: string, target: string): Promise<void> {
    await this.calls.call('TagImage', { name, target });
  }
  async remove(name: string, opts?: { force?: boolean }) {
    return (await this.calls.call('RemoveImage', { name, force: Boolean(opts?.force) })) as { untagged: string[]; deleted: string[] };
  }
  async history(name: string): Promise<ImageHistoryEntry[]> {
    return (await this.calls.call('ImageHistory', { name })).history as ImageHistoryEntry[];
  }
  async untag(name: string, names?: string[]): Promise<string[]> {
    return (await this.calls.call('UntagImage', { name, names })).untagged as string[];
  }
  async prune(opts?: ImagePruneOptions): Promise<ImagePruneReport> {
    return (await this.calls.call('PruneImages', { options: opts ?? {} })).report as ImagePruneReport;
  }
  async save(names: string[], out: Writable, opts?: ImageSaveOptions): Promise<void> {
    await this.calls.stream('SaveImages', { names, options: opts ?? {} }, { stdout: out });
  }
  async load(source: Readable): Promise<ImageLoadReport> {
    return (await this.calls.stream('LoadImages', {}, { stdin: source })) as ImageLoadReport;
  }
  pull(reference: string, opts?: PullOptions): Promise<string> {
    return this.progressCall('PullImage', { reference, options: withoutProgress(opts) }, opts?.onProgress, 'id');
  }
  push(name: string, destination?: string, opts?: PushOptions): Promise<string> {
    return this.progressCall('PushImage', { name, destination, options: withoutProgress(opts) }, opts?.onProgress, 'digest');
  }
  copy(source: string, destination: string, opts?: ImageCopyOptions): Promise<string> {
    return this.progressCall('CopyImage', { source, destination, options: withoutProgress(opts) }, opts?.onProgress, 'digest');
  }
  async inspectRemote(reference: string, opts?: PullOptions): Promise<RemoteImageInspect> {
    return (await this.calls.call('InspectImageInRegistry', { reference, options: withoutProgress(opts) })).image as RemoteImageInspect;
  }
  async manifestInspect(reference: string, opts?: ManifestInspectOptions): Promise<ManifestInspectResult> {
    return (await this.calls.call('InspectManifest', { reference, options: opts ?? {} })).manifest as ManifestInspectResult;
  }
  async search(term: string, opts?: ImageSearchOptions): Promise<ImageSearchResult[]> {
    return (await this.calls.call('SearchImages', { term, options: opts ?? {} })).results as ImageSearchResult[];
  }
  async login(registry: string, opts: LoginOptions): Promise<string> {
    return (await this.calls.call('Login', { registry, options: opts })).stored as string;
  }
  async logout(registry: string | undefined, opts?: { all?: boolean; authFile?: string }): Promise<void> {
    await this.calls.call('Logout', { registry, all: Boolean(opts?.all), authFile: opts?.authFile });
  }
}
