/** Engine events, in the shape of `podman events --format json`. */
export type EventType = 'container' | 'image' | 'pod' | 'volume' | 'network' | 'system';

export interface EngineEvent {
  /** Container, image, pod, volume or network ID ('' when none). */
  ID: string;
  Image?: string;
  Name: string;
  /** What happened: create, start, died, stop, kill, pause, unpause, remove, rename, pull, push, tag, untag, ... */
  Status: string;
  /** RFC 3339 with nanoseconds. */
  Time: string;
  /** Unix nanoseconds (as a number of ms * 1e6, for ordering and --since). */
  TimeNano: number;
  Type: EventType;
  Attributes?: Record<string, string>;
}

export interface EventsOptions {
  /** Unix milliseconds bounds. */
  since?: number;
  until?: number;
  /** Podman's filters: container, image, pod, volume, network, event (status), type, label. */
  filters?: Record<string, string[]>;
  /** Keep waiting for new events (until `until`, or the signal). */
  stream?: boolean;
  signal?: AbortSignal;
}
