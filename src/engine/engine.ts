/**
 * The one Engine interface. The CLI, the varlink service and the Cockpit bridge are clients of it;
 * LocalEngine (local/) runs things on this host, a remote implementation speaks varlink.
 * Every method is async and throws SelkieError on failure.
 * Pods, volumes and networks join this interface with the issues that build them.
 */
import type { Readable, Writable } from 'node:stream';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspect, ContainerListOptions, LogLine, LogOptions } from './types/container.js';
import type { AttachOptions, CommitOptions, ContainerPathStat, ContainerPruneReport, CopyFromOptions, CopyToOptions, ExecOptions, ExecResult, FilesystemChange, TopResult } from './types/container-ops.js';
import type { VolumeCreateOptions, VolumeInspect, VolumeListOptions, VolumePruneReport } from './types/volume.js';
import type { ImageImportOptions, ImageInspect, ImageListOptions, ImageSummary } from './types/image.js';
import type { ImageHistoryEntry, ImageLoadReport, ImagePruneOptions, ImagePruneReport, ImageSaveOptions } from './types/image-ops.js';
import type { SystemInfo, VersionInfo } from './types/system.js';
import type { PlayKubeReport } from './kube/kube-types.js';
import type { EngineEvent, EventsOptions } from './types/events.js';
import type { PodActionReport, PodCreateOptions, PodInspect, PodPruneReport, PodSummary } from './types/pod.js';
import type { NetworkConnectOptions, NetworkCreateOptions, NetworkInspect, NetworkListOptions } from './types/network.js';
import type { ContainerStats } from './containers/container-stats.js';
import type { ImageCopyOptions, LoginOptions, PullOptions, PushOptions, RemoteImageInspect } from './registry/pull-types.js';
import type { ImageSearchOptions, ImageSearchResult, ManifestInspectOptions, ManifestInspectResult } from './registry/search-types.js';

export interface Engine {
  readonly containers: ContainerService;
  readonly images: ImageService;
  readonly system: SystemService;
  readonly networks: NetworkService;
  readonly volumes: VolumeService;
  readonly pods: PodService;
  readonly kube: KubeService;
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
  /**
   * Size changes of the client's terminal, for a container or exec with a TTY whose streams are not
   * the CLI's own terminal (a web page, a remote CLI): an EventEmitter emitting 'resize' with
   * {rows, cols}, e.g. a TTY write stream wrapped by `terminalResizes()`.
   */
  resize?: TerminalResizes;
  /** attach only: aborting it ends the attachment as a detach would (the container keeps running). */
  signal?: AbortSignal;
}

export interface TerminalSize {
  rows: number;
  cols: number;
}

export interface TerminalResizes {
  on(event: 'resize', listener: (size: TerminalSize) => void): unknown;
  off(event: 'resize', listener: (size: TerminalSize) => void): unknown;
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
  /** Stat a path inside the container (symlinks resolved inside its root, the last one only with followLink). */
  statPath(nameOrId: string, containerPath: string, opts?: CopyFromOptions): Promise<ContainerPathStat>;
  /** A path inside the container as a tar stream whose entries start with the path's base name (cp out). */
  copyFrom(nameOrId: string, containerPath: string, opts?: CopyFromOptions): Promise<{ stat: ContainerPathStat; tar: Readable }>;
  /** Extract a tar stream into directory `containerPath` of the container (cp in). */
  copyTo(nameOrId: string, containerPath: string, tar: Readable, opts?: CopyToOptions): Promise<void>;
  /** Changes of the container's root filesystem against its image, sorted by path. */
  diff(nameOrId: string): Promise<FilesystemChange[]>;
  /** Store the container's changes as a new image on top of its image. Returns the image ID. */
  commit(nameOrId: string, opts?: CommitOptions): Promise<string>;
}

export interface VolumeService {
  create(opts?: VolumeCreateOptions): Promise<VolumeInspect>;
  list(opts?: VolumeListOptions): Promise<VolumeInspect[]>;
  inspect(name: string): Promise<VolumeInspect>;
  exists(name: string): Promise<boolean>;
  /** Remove a volume; with force, the containers using it are removed first (Podman). */
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
  /** Remove the volumes no container uses, narrowed by filters (label, label!, until). */
  prune(opts?: { filters?: Record<string, string[]> }): Promise<VolumePruneReport>;
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
  /** The manifest list / image index (or single manifest) a registry serves for `reference`; stores nothing. */
  manifestInspect(reference: string, opts?: ManifestInspectOptions): Promise<ManifestInspectResult>;
  /** Repositories matching `term` in registry catalogs, or (listTags) the tags of one repository. */
  search(term: string, opts?: ImageSearchOptions): Promise<ImageSearchResult[]>;
  /** Verify credentials against a registry and store them. Returns where they were stored. */
  login(registry: string, opts: LoginOptions): Promise<string>;
  /** Remove stored credentials for a registry (or all of them). */
  logout(registry: string | undefined, opts?: { all?: boolean; authFile?: string }): Promise<void>;
}

/** Bridge networks (root): a Linux bridge, IPAM, masquerade, aardvark-dns name resolution. */
export interface NetworkService {
  create(opts: NetworkCreateOptions): Promise<NetworkInspect>;
  list(opts?: NetworkListOptions): Promise<NetworkInspect[]>;
  inspect(nameOrId: string): Promise<NetworkInspect>;
  exists(nameOrId: string): Promise<boolean>;
  /** Remove a network; with `force`, remove the containers on it first. Returns the network's name. */
  remove(nameOrId: string, opts?: { force?: boolean }): Promise<string>;
  /** Remove networks no container uses (never the default one). Returns their names. */
  prune(opts?: NetworkListOptions): Promise<string[]>;
  /** Join a container to a network (a running one gets its interface at once). */
  connect(network: string, container: string, opts?: NetworkConnectOptions): Promise<void>;
  disconnect(network: string, container: string, opts?: { force?: boolean }): Promise<void>;
}

export interface PodService {
  /** Create a pod (and its infra container, unless `infra: false`). */
  create(opts?: PodCreateOptions): Promise<{ id: string; name: string }>;
  /** Start the infra container, then every other member at once. Failures per container in the report. */
  start(nameOrId: string): Promise<PodActionReport>;
  /** Stop every member at once (one timeout for all), then the infra container. */
  stop(nameOrId: string, opts?: { timeout?: number }): Promise<PodActionReport>;
  restart(nameOrId: string, opts?: { timeout?: number }): Promise<PodActionReport>;
  kill(nameOrId: string, signal?: string): Promise<PodActionReport>;
  pause(nameOrId: string): Promise<PodActionReport>;
  unpause(nameOrId: string): Promise<PodActionReport>;
  /** Remove the pod; with `force` its containers (stopped or killed first), else it must have none. */
  remove(nameOrId: string, opts?: { force?: boolean; timeout?: number }): Promise<{ id: string; removed: string[] }>;
  list(opts?: { filters?: Record<string, string[]> }): Promise<PodSummary[]>;
  inspect(nameOrId: string): Promise<PodInspect>;
  /** The processes of all the pod's running containers, with `top` descriptors. */
  top(nameOrId: string, descriptors?: string[]): Promise<TopResult>;
  /** Resource use of the running containers of the pods named (all pods when none). */
  stats(namesOrIds?: string[]): Promise<(ContainerStats & { Pod: string; PodName: string })[]>;
  exists(nameOrId: string): Promise<boolean>;
  /** Remove every pod none of whose containers runs. */
  prune(): Promise<PodPruneReport>;
}

/** Kubernetes YAML in and out. */
export interface KubeService {
  /** Pod (and with `service`, Service) manifests for pods or containers. */
  generate(namesOrIds: string[], opts?: { service?: boolean }): Promise<string>;
  /** Create (and start, unless `start: false`) the pods a YAML describes; with `down`, remove them. */
  play(yaml: string, opts?: { down?: boolean; start?: boolean; file?: string }): Promise<PlayKubeReport>;
}

export interface SystemService {
  version(): Promise<VersionInfo>;
  info(): Promise<SystemInfo>;
  /** The engine's events (container, image, pod, volume, network), oldest first; with `stream`, then new ones as they happen. */
  events(opts?: EventsOptions): AsyncIterable<EngineEvent>;
}
