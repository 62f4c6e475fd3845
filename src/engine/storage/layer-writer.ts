/**
 * Writes the entries of one layer tar into a directory, one entry at a time, in tar order: regular
 * files streamed to disk, directories, symlinks, hard links, device nodes and fifos, whiteouts.
 * Ownership is set before the mode (chown clears setuid/setgid). Paths are contained by PathGuard;
 * nothing is ever opened or created through a symlink (O_NOFOLLOW|O_EXCL after removing what was
 * there). Work that needs a host program is collected and done once at the end (finish()).
 */
import fs from 'node:fs';
import { invalid, missingTool, SelkieError } from '../errors.js';
import { ApplyState, type NodeSpec } from './apply-state.js';
import { entryInfo, type EntryInfo } from './entry-info.js';
import { runToolOk } from './host-tools.js';
import { joinRel, normalizeEntryPath, PathGuard } from './path-guard.js';
import type { PaxHeaders } from './pax-xattrs.js';
import { createNodes } from './special-nodes.js';
import { isOverlayWhiteout, OVERLAY_OPAQUE_XATTR, parseWhiteout, type Whiteout } from './whiteout.js';
import { haveSetfattr, setXattrs, setXattrsOrFail } from './xattr-batch.js';

export interface ApplyOptions {
  /**
   * 'delete': the directory is a full copy of the lower layers (vfs); whiteouts delete from it.
   * 'overlay': the directory is an overlayfs layer; whiteouts become 0/0 character devices and
   * opaque directories get trusted.overlay.opaque=y.
   */
  whiteouts: 'delete' | 'overlay';
  /**
   * Overlay: the real path of `rel` as the lower layers show it (topmost layer, whiteouts and opaque
   * directories respected), or null. Used for hard links to lower files (copied up first) and for
   * the metadata of parent directories the layer does not list.
   */
  lowerLookup?: (rel: string) => string | null;
  /**
   * Overlay: gives the layer root the owner and mode of the layer below; called at the end when the
   * tar does not list the root itself.
   */
  rootFromLower?: () => void;
  /**
   * lowerLookup and rootFromLower may only be used once this resolves (the layers below are
   * complete): a layer can be applied while its parent still is (a worker asks the main thread,
   * which waits for it), else applyLayer waits for it first.
   */
  lowerReady?: Promise<unknown>;
}

const CREATE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

export class LayerWriter {
  readonly state = new ApplyState();
  private readonly guard: PathGuard;
  private readonly overlay: boolean;
  /** The tar listed the layer root ('./'). */
  private rootListed = false;

  constructor(
    readonly root: string,
    private readonly opts: ApplyOptions,
  ) {
    this.overlay = opts.whiteouts === 'overlay';
    this.guard = new PathGuard(root, (rel) => this.makeImplicitDir(rel));
  }

  /** Applies one entry; `data` is its content stream, consumed here. */
  async apply(header: PaxHeaders, data: AsyncIterable<Buffer>): Promise<void> {
    const e = entryInfo(header, this.state);
    const wh = parseWhiteout(e.rel, e.entry);
    if (header.type !== 'directory') {
      if (wh || (header.type !== 'file' && header.type !== 'contiguous-file')) await drain(data);
    }
    if (wh) return this.whiteout(wh, e);
    switch (header.type) {
      case 'file':
      case 'contiguous-file':
        return this.writeFile(e, data);
      case 'directory':
        return this.writeDir(e);
      case 'symlink':
        return this.writeSymlink(e, header.linkname ?? '');
      case 'link':
        return this.writeHardlink(e, header.linkname ?? '');
      case 'character-device':
      case 'block-device':
      case 'fifo':
        return this.writeNode(e, header.type, header.devmajor ?? 0, header.devminor ?? 0);
      default:
        throw invalid(`layer entry ${JSON.stringify(e.entry)} has an unsupported type (${String(header.type)})`);
    }
  }

  /** The batched work: nodes, xattrs, then directory times. Returns warnings (xattrs not set). */
  async finish(): Promise<string[]> {
    await this.flushNodes();
    await this.applyXattrs();
    if (!this.rootListed) this.opts.rootFromLower?.();
    const recheck = this.recheck();
    for (const [rel, t] of this.state.dirTimes) fs.lutimesSync(recheck(rel, true), t.atime, t.mtime);
    return this.state.warnings;
  }

  private async writeFile(e: EntryInfo, data: AsyncIterable<Buffer>): Promise<void> {
    const abs = this.prepare(e);
    // Created with its permission bits (the umask may take some; the layer's temp directory is
    // private): most files then need neither chown nor chmod, each a journaled inode update, which
    // one fstat tells. Owner before mode: chown clears setuid/setgid.
    const fd = fs.openSync(abs, CREATE_FLAGS, e.mode & 0o777);
    try {
      for await (const chunk of data) writeAll(fd, chunk as Buffer);
      const st = fs.fstatSync(fd);
      if (st.uid !== e.uid || st.gid !== e.gid) {
        fs.fchownSync(fd, e.uid, e.gid);
        fs.fchmodSync(fd, e.mode);
      } else if ((st.mode & 0o7777) !== e.mode) fs.fchmodSync(fd, e.mode);
      fs.futimesSync(fd, e.atime, e.mtime);
    } finally {
      fs.closeSync(fd);
    }
    this.done(e);
  }

  private writeDir(e: EntryInfo): void {
    const abs = this.guard.abs(e.rel);
    if (e.rel !== '') {
      this.guard.ensureParents(e.rel, e.entry);
      const was = this.clear(e.rel, true);
      if (was !== 'dir') fs.mkdirSync(abs, 0o700);
      // Deleted by this layer, then created again: the lower directory's content stays hidden.
      if (was === 'whiteout') this.state.opaque.add(e.rel);
      this.guard.markDir(e.rel);
    } else this.rootListed = true;
    fs.lchownSync(abs, e.uid, e.gid);
    fs.chmodSync(abs, e.mode); // a real directory (checked above): chmod cannot follow a symlink here
    this.state.dirTimes.set(e.rel, { atime: e.atime, mtime: e.mtime });
    this.done(e);
  }

  private writeSymlink(e: EntryInfo, target: string): void {
    if (target === '') throw invalid(`layer entry ${JSON.stringify(e.entry)} is a symlink without a target`);
    const abs = this.prepare(e);
    fs.symlinkSync(target, abs); // the target is stored, never followed
    fs.lchownSync(abs, e.uid, e.gid);
    fs.lutimesSync(abs, e.atime, e.mtime);
    this.done(e);
  }

  private async writeHardlink(e: EntryInfo, linkname: string): Promise<void> {
    let target: string;
    try {
      target = normalizeEntryPath(linkname);
    } catch {
      throw invalid(`layer entry ${JSON.stringify(e.entry)} is a hard link to ${JSON.stringify(linkname)}, outside the layer`);
    }
    if (target === '') throw invalid(`layer entry ${JSON.stringify(e.entry)} is a hard link to the layer root`);
    if (target === e.rel) return; // a link to itself: nothing to do
    const from = await this.linkTarget(target, e);
    const abs = this.prepare(e);
    fs.linkSync(from, abs); // link(2) does not follow a symlink target: it links the symlink itself
    this.state.recordWritten(e.rel);
  }

  private writeNode(e: EntryInfo, type: NodeSpec['type'], major: number, minor: number): void {
    this.prepare(e);
    this.state.nodes.set(e.rel, { type, major, minor, mode: e.mode, uid: e.uid, gid: e.gid, atime: e.atime, mtime: e.mtime, whiteout: false });
    this.done(e);
  }

  private whiteout(wh: Whiteout, e: EntryInfo): void {
    if (wh.kind === 'ignore') return;
    if (wh.kind === 'opaque') {
      if (this.overlay) {
        this.guard.ensureDir(wh.dir, e.entry);
        this.state.opaque.add(wh.dir);
      } else if (this.guard.ensureDir(wh.dir, e.entry, false)) {
        for (const name of fs.readdirSync(this.guard.abs(wh.dir))) this.pruneLower(joinRel(wh.dir, name));
      }
      return;
    }
    const target = wh.target;
    if (this.state.touched(target)) {
      // Whiteouts delete what the lower layers have, never this layer's own entries.
      if (!this.overlay) this.pruneLower(target);
      else if (this.isDir(target)) this.state.opaque.add(target);
      return;
    }
    if (!this.overlay) {
      if (!this.guard.ensureParents(target, e.entry, false)) return;
      this.pruneLower(target);
      return;
    }
    this.guard.ensureParents(target, e.entry);
    this.clear(target, false);
    this.state.nodes.set(target, { type: 'character-device', major: 0, minor: 0, mode: 0, uid: 0, gid: 0, atime: e.atime, mtime: e.mtime, whiteout: true });
  }

  /** vfs: removes what the lower layers have at rel, keeping what this layer wrote. */
  private pruneLower(rel: string): void {
    const st = this.lstat(rel);
    if (!st) return;
    if (!this.state.touched(rel)) {
      this.remove(rel, st.isDirectory());
      return;
    }
    if (!st.isDirectory()) return;
    for (const name of fs.readdirSync(this.guard.abs(rel))) this.pruneLower(joinRel(rel, name));
  }

  /** Checks the parents of a non-directory entry and clears its path. */
  private prepare(e: EntryInfo): string {
    if (e.rel === '') throw invalid(`layer entry ${JSON.stringify(e.entry)}: the layer root can only be a directory`);
    this.guard.ensureParents(e.rel, e.entry);
    this.clear(e.rel, false);
    return this.guard.abs(e.rel);
  }

  /**
   * Removes whatever is at rel (a pending node, a file, a tree), or keeps a directory when keepDir.
   * Says what was there.
   */
  private clear(rel: string, keepDir: boolean): 'none' | 'dir' | 'other' | 'whiteout' {
    const pending = this.state.nodes.get(rel);
    if (pending) {
      this.state.nodes.delete(rel);
      return pending.whiteout ? 'whiteout' : 'other';
    }
    const st = this.lstat(rel);
    if (!st) return 'none';
    if (st.isDirectory() && keepDir) return 'dir';
    const whiteout = this.overlay && isOverlayWhiteout(st);
    this.remove(rel, st.isDirectory());
    return whiteout ? 'whiteout' : 'other';
  }

  private remove(rel: string, isDir: boolean): void {
    const abs = this.guard.abs(rel);
    if (isDir) fs.rmSync(abs, { recursive: true, force: true });
    else fs.unlinkSync(abs);
    this.guard.forget(rel, isDir);
    this.state.forget(rel, isDir);
  }

  /** The path to link to for a hard link to `target` (a file of this layer or, overlay, of a lower one). */
  private async linkTarget(target: string, e: EntryInfo): Promise<string> {
    const pending = this.state.nodes.get(target);
    if (pending && !pending.whiteout) await this.flushNodes();
    const abs = this.guard.abs(target);
    const st = this.guard.ensureParents(target, e.entry, false) ? this.lstat(target) : undefined;
    if (st && !(this.overlay && isOverlayWhiteout(st))) {
      if (st.isDirectory()) throw invalid(`layer entry ${JSON.stringify(e.entry)} is a hard link to a directory`);
      return abs;
    }
    const lower = !st && !pending && this.opts.lowerLookup?.(target);
    if (lower && fs.lstatSync(lower).isDirectory()) {
      throw invalid(`layer entry ${JSON.stringify(e.entry)} is a hard link to a directory`);
    }
    if (lower) {
      // Copy the lower file up into this layer, then link to the copy (overlay's copy-up, done once).
      this.guard.ensureParents(target, e.entry);
      await runToolOk('cp', ['-a', '--reflink=auto', '-T', '--', lower, abs], `copying up ${target} for hard link ${e.entry}`);
      this.state.recordWritten(target);
      return abs;
    }
    throw invalid(`layer entry ${JSON.stringify(e.entry)} is a hard link to ${JSON.stringify(target)}, which does not exist`);
  }

  /**
   * Creates a parent directory the tar does not list: owner and mode of the lower one (overlay: as a
   * kernel copy-up would), else root 0755. Its time is left as is: the layer changed its content.
   */
  private makeImplicitDir(rel: string): void {
    const abs = this.guard.abs(rel);
    const pending = this.state.nodes.get(rel);
    if (pending) this.state.nodes.delete(rel);
    if (pending?.whiteout) this.state.opaque.add(rel);
    const lower = this.opts.lowerLookup?.(rel);
    const st = lower ? fs.lstatSync(lower) : undefined;
    fs.mkdirSync(abs, 0o700);
    if (st?.isDirectory()) {
      fs.lchownSync(abs, st.uid, st.gid);
      fs.chmodSync(abs, st.mode & 0o7777);
    } else fs.chmodSync(abs, 0o755);
  }

  private done(e: EntryInfo): void {
    if (e.xattrs.size > 0) this.state.xattrs.set(e.rel, e.xattrs);
    else this.state.xattrs.delete(e.rel);
    this.state.recordWritten(e.rel);
  }

  private async flushNodes(): Promise<void> {
    const nodes = this.state.nodes;
    if (nodes.size === 0) return;
    const recheck = this.recheck();
    for (const rel of nodes.keys()) recheck(rel, false);
    await createNodes(this.root, nodes);
    nodes.clear();
  }

  private async applyXattrs(): Promise<void> {
    const recheck = this.recheck();
    const abs = (rel: string): string => recheck(rel, false);
    if (this.state.opaque.size > 0) {
      if (!haveSetfattr()) throw missingTool('setfattr', 'attr');
      const y = new Map([[OVERLAY_OPAQUE_XATTR, Buffer.from('y')]]);
      await setXattrsOrFail(new Map([...this.state.opaque].map((rel) => [abs(rel), y])), 'marking opaque directories');
    }
    const xattrs = new Map([...this.state.xattrs].map(([rel, a]) => [abs(rel), a]));
    if (xattrs.size === 0) return;
    if (!haveSetfattr()) {
      this.state.warnings.push(`xattrs of ${xattrs.size} file(s) not applied: setfattr not found (install it with: apt-get install attr)`);
      return;
    }
    for (const problem of await setXattrs(xattrs)) this.state.warnings.push(`xattr not applied: ${problem}`);
  }

  /**
   * Checks paths again, with an empty cache, before the batched work touches them: their parents
   * (and, for `isDir`, the path itself) must still be real directories. Returns the absolute path.
   */
  private recheck(): (rel: string, isDir: boolean) => string {
    const fresh = new PathGuard(this.root, () => {});
    return (rel, isDir) => {
      const ok = isDir ? fresh.ensureDir(rel, rel, false) : fresh.ensureParents(rel, rel, false);
      if (!ok) throw new SelkieError('internal', `${JSON.stringify(rel)} disappeared while its layer was applied`);
      return this.guard.abs(rel);
    };
  }

  private lstat(rel: string): fs.Stats | undefined {
    return fs.lstatSync(this.guard.abs(rel), { throwIfNoEntry: false });
  }

  private isDir(rel: string): boolean {
    return this.lstat(rel)?.isDirectory() ?? false;
  }
}

function writeAll(fd: number, chunk: Buffer): void {
  let off = 0;
  while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
}

async function drain(data: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of data) {
    // discard
  }
}
