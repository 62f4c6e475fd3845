/**
 * The one Engine interface. The CLI, the varlink service and the Cockpit bridge are clients of it;
 * LocalEngine (local/) runs things on this host, a remote implementation speaks varlink.
 * Every method is async and throws SelkieError on failure.
 * Pods, volumes and networks join this interface with the issues that build them.
 */
import type { Readable, Writable } from 'node:stream';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspect, ContainerListOptions, LogLine, LogOptions } from './types/container.js';
import type { AttachOptions, ContainerPruneReport, ExecOptions, ExecResult, TopResult } from './types/container-ops.js';
import type { ImageImportOptions, ImageInspect, ImageListOptions, ImageSummary } from './types/image.js';
import type { ImageHistoryEntry, ImageLoadReport, ImagePruneOptions, ImagePruneReport, ImageSaveOptions } from './types/image-ops.js';
import type { SystemInfo, VersionInfo } from './types/system.js';
import type { ContainerStats } from './containers/container-stats.js';
import type { ImageCopyOptions, LoginOptions, PullOptions, PushOptions, RemoteImageInspect } from './registry/pull-types.js';

export interface Engine {
  readonly containers: ContainerService;
  readonly images: ImageService;
  readonly system: SystemService;
  /** Release resources (database handles, sockets). */
  close(): Promise<void>;
}

/** Streams a client attaches to a container. Any may be absent. */
export interface AttachStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** True when stdin/stdout are the CLI's own terminal fds (lets the local engine hand them over). */
  inheritStdio?: boolean;
}

export interface ContainerService {
  create(opts: ContainerCreateOptions): Promise<{ id: string; name: string; warnings: string[] }>;
  /** Start a created or stopped container. With streams, attach before starting and resolve once
   * the container's output has ended. */
  start(nameOrId: string, streams?: AttachStreams): Promise<void>;
  /** Wait for the container to exit and return its exit code. */
  wait(nameOrId: string): Promise<number>;
  stop(nameOrId: string, opts?: { timeout?: number }): Promise<void>;
  kill(nameOrId: string, signal?: string): Promise<void>;
  remove(nameOrId: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  list(opts?: ContainerListOptions): Promise<ContainerInfo[]>;
  inspect(nameOrId: string): Promise<ContainerInspect>;
  /** Resource usage of running containers (all running ones when `names` is empty). */
  stats(names?: string[]): Promise<ContainerStats[]>;
  /** Log lines of the container (k8s-file log), oldest first; with `follow`, until the container exits. */
  logs(nameOrId: string, opts?: LogOptions): AsyncIterable<LogLine>;
  /** Record the exit and release the container's resources (conmon's exit command runs this).
   * `remove` defaults to the container's --rm setting. Idempotent. */
  cleanup(nameOrId: string, opts?: { remove?: boolean; run?: string }): Promise<void>;
  /** Stop (if running, waiting `timeout` seconds before SIGKILL) and start again. */
  restart(nameOrId: string, opts?: { timeout?: number }): Promise<void>;
  /** Freeze / thaw every process of a running container (state paused). */
  pause(nameOrId: string): Promise<void>;
  unpause(nameOrId: string): Promise<void>;
  rename(nameOrId: string, newName: string): Promise<void>;
  /** Remove all containers that are not running or paused, narrowed by filters (label, label!, until). */
  prune(opts?: { filters?: Record<string, string[]> }): Promise<ContainerPruneReport>;
  /** Run a process in a running container. With streams (and not `detach`), attach and resolve with
   * its exit code once it exits; detached, resolve once it runs. */
  exec(nameOrId: string, opts: ExecOptions, streams?: AttachStreams): Promise<ExecResult>;
  /** Attach streams to a running container; resolves when its output ends (it exited) or the user
   * detached. The exit code is then wait()'s. */
  attach(nameOrId: string, streams: AttachStreams, opts?: AttachOptions): Promise<{ detached: boolean }>;
  /** The container's processes, one row per process, with Podman's top descriptors (default
   * user pid ppid pcpu etime tty time args). */
  top(nameOrId: string, descriptors?: string[]): Promise<TopResult>;
  /** Mount the container's root filesystem on the host; returns its path. */
  mount(nameOrId: string): Promise<string>;
  /** Unmount it again (not while the container runs). */
  unmount(nameOrId: string): Promise<void>;
  /** The container's root filesystem as a tar stream. */
  export(nameOrId: string): Promise<Readable>;
}

export interface ImageService {
  /** Create a single-layer image from a tar stream (docker import). Returns the image ID. */
  import(source: Readable, opts: ImageImportOptions): Promise<string>;
  list(opts?: ImageListOptions): Promise<ImageSummary[]>;
  inspect(nameOrId: string): Promise<ImageInspect>;
  exists(nameOrId: string): Promise<boolean>;
  tag(nameOrId: string, newName: string): Promise<void>;
  remove(nameOrId: string, opts?: { force?: boolean }): Promise<{ untagged: string[]; deleted: string[] }>;
  /** The image's history entries, newest first (Docker's `history`). */
  history(nameOrId: string): Promise<ImageHistoryEntry[]>;
  /** Remove the given names (all when none) from the image without deleting it. Returns the names removed. */
  untag(nameOrId: string, names?: string[]): Promise<string[]>;
  /** Remove dangling images (or, with `all`, every image no container uses), then unreferenced layers. */
  prune(opts?: ImagePruneOptions): Promise<ImagePruneReport>;
  /** Write images (with the names they were asked by) as a docker-archive or oci-archive tar to `out`. */
  save(namesOrIds: string[], out: Writable, opts?: ImageSaveOptions): Promise<void>;
  /** Store the images of a docker-archive or oci-archive tar (plain or gzip). */
  load(source: Readable): Promise<ImageLoadReport>;
  /** Pull an image from a registry into local storage. Returns the image ID. */
  pull(reference: string, opts?: PullOptions): Promise<string>;
  /** Push a local image to a registry (`destination` default: the name it was asked by). Returns the manifest digest. */
  push(nameOrId: string, destination?: string, opts?: PushOptions): Promise<string>;
  /** Copy an image between registries (docker://) and OCI layouts (oci:PATH[:TAG]) without local storage. Returns the manifest digest. */
  copy(source: string, destination: string, opts?: ImageCopyOptions): Promise<string>;
  /** Manifest, config and tags of a registry image, without storing anything. */
  inspectRemote(reference: string, opts?: PullOptions): Promise<RemoteImageInspect>;
  /** Verify credentials against a registry and store them. Returns where they were stored. */
  login(registry: string, opts: LoginOptions): Promise<string>;
  /** Remove stored credentials for a registry (or all of them). */
  logout(registry: string | undefined, opts?: { all?: boolean; authFile?: string }): Promise<void>;
}

export interface SystemService {
  version(): Promise<VersionInfo>;
  info(): Promise<SystemInfo>;
}
