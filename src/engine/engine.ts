/**
 * The one Engine interface. The CLI, the varlink service and the Cockpit bridge are clients of it;
 * LocalEngine (local/) runs things on this host, a remote implementation speaks varlink.
 * Every method is async and throws SelkieError on failure.
 * Pods, volumes and networks join this interface with the issues that build them.
 */
import type { Readable, Writable } from 'node:stream';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspect, ContainerListOptions, LogLine, LogOptions } from './types/container.js';
import type { ImageImportOptions, ImageInspect, ImageListOptions, ImageSummary } from './types/image.js';
import type { SystemInfo, VersionInfo } from './types/system.js';

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
  /** Log lines of the container (k8s-file log), oldest first; with `follow`, until the container exits. */
  logs(nameOrId: string, opts?: LogOptions): AsyncIterable<LogLine>;
  /** Record the exit and release the container's resources (conmon's exit command runs this).
   * `remove` defaults to the container's --rm setting. Idempotent. */
  cleanup(nameOrId: string, opts?: { remove?: boolean }): Promise<void>;
}

export interface ImageService {
  /** Create a single-layer image from a tar stream (docker import). Returns the image ID. */
  import(source: Readable, opts: ImageImportOptions): Promise<string>;
  list(opts?: ImageListOptions): Promise<ImageSummary[]>;
  inspect(nameOrId: string): Promise<ImageInspect>;
  exists(nameOrId: string): Promise<boolean>;
  tag(nameOrId: string, newName: string): Promise<void>;
  remove(nameOrId: string, opts?: { force?: boolean }): Promise<{ untagged: string[]; deleted: string[] }>;
}

export interface SystemService {
  version(): Promise<VersionInfo>;
  info(): Promise<SystemInfo>;
}
