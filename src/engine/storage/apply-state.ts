/**
 * What applying one layer remembers until its end: which paths the layer itself wrote (whiteouts
 * only delete lower content, never the layer's own), and the work done in batches at the end —
 * device nodes/fifos/overlay whiteouts (one `tar` run), xattrs (one `setfattr` run), and directory
 * times (set last, after their contents changed). Whatever replaces or removes a path drops its
 * pending work, and a removed directory drops everything under it.
 */

export interface Times {
  atime: number;
  mtime: number;
}

export interface NodeSpec extends Times {
  type: 'character-device' | 'block-device' | 'fifo';
  major: number;
  minor: number;
  mode: number;
  uid: number;
  gid: number;
  /** An overlay whiteout (character device 0/0) rather than an entry of the layer. */
  whiteout: boolean;
}

export class ApplyState {
  /** Paths the layer wrote (any type). */
  readonly written = new Set<string>();
  /** Directories with something the layer wrote below them. */
  readonly ancestors = new Set<string>();

  readonly dirTimes = new Map<string, Times>();
  readonly xattrs = new Map<string, Map<string, Buffer>>();
  /** Directories to mark opaque (overlay). */
  readonly opaque = new Set<string>();
  readonly nodes = new Map<string, NodeSpec>();
  readonly warnings: string[] = [];

  recordWritten(rel: string): void {
    this.written.add(rel);
    let i = rel.lastIndexOf('/');
    while (i > 0) {
      const dir = rel.slice(0, i);
      if (this.ancestors.has(dir)) return;
      this.ancestors.add(dir);
      i = rel.lastIndexOf('/', i - 1);
    }
    this.ancestors.add('');
  }

  /** True when the layer wrote rel or something below it. */
  touched(rel: string): boolean {
    return this.written.has(rel) || this.ancestors.has(rel);
  }

  /** rel is being replaced or removed: drop its pending work (and, for a directory, all below it). */
  forget(rel: string, wasDir: boolean): void {
    this.dirTimes.delete(rel);
    this.xattrs.delete(rel);
    this.opaque.delete(rel);
    this.nodes.delete(rel);
    if (!wasDir) return;
    const prefix = `${rel}/`;
    for (const m of [this.dirTimes, this.xattrs, this.nodes] as Map<string, unknown>[]) {
      if (m.size === 0) continue;
      for (const k of m.keys()) if (k.startsWith(prefix)) m.delete(k);
    }
    for (const k of this.opaque) if (k.startsWith(prefix)) this.opaque.delete(k);
  }
}
