/**
 * The host programs the storage drivers run for what Node cannot do itself (mount(2), mknod(2),
 * setxattr(2), syncfs(2)) or does slower (cp -a, rm -rf). Each is one fork per layer or per call,
 * never one per file.
 */
import { runProgram } from '../util/program-runner.js';
import { SelkieError, missingTool } from '../errors.js';
import { removeSmallTree } from './small-tree-removal.js';

/** Debian packages that provide the programs we run, for missing-tool hints. */
const packageOf: Record<string, string> = {
  mount: 'mount',
  umount: 'mount',
  cp: 'coreutils',
  rm: 'coreutils',
  sync: 'coreutils',
  mknod: 'coreutils',
  tar: 'tar',
  setfattr: 'attr',
  getfattr: 'attr',
  fusermount3: 'fuse3',
  'fuse-overlayfs': 'fuse-overlayfs',
};

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd args` (stdin from `input`), resolving with its exit code and output; missing-tool error when absent. */
export async function runTool(cmd: string, args: readonly string[], opts: { input?: Buffer | string; cwd?: string } = {}): Promise<ToolResult> {
  try {
    const r = await runProgram([cmd, ...args], { input: opts.input, cwd: opts.cwd, captureStdout: true });
    return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8').trim() };
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code === 'ENOENT' ? missingTool(cmd, packageOf[cmd.slice(cmd.lastIndexOf('/') + 1)] ?? cmd) : e;
  }
}

/** Like runTool, but a non-zero exit is a SelkieError saying what `doing` was. */
export async function runToolOk(
  cmd: string,
  args: readonly string[],
  doing: string,
  opts: { input?: Buffer | string; cwd?: string } = {},
): Promise<ToolResult> {
  const r = await runTool(cmd, args, opts);
  if (r.code !== 0) throw new SelkieError('internal', `${doing} failed: ${cmd}: ${firstLine(r.stderr) || `exit code ${r.code}`}`);
  return r;
}

export const firstLine = (s: string): string => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

/** Makes everything written on the filesystem holding `dir` durable: one syncfs(2) (`sync -f`). */
export async function syncFilesystem(dir: string): Promise<void> {
  await runToolOk('sync', ['-f', dir], `syncing ${dir}`);
}

/** Removes a tree without crossing into filesystems mounted below it (a still-mounted rootfs). */
export async function removeTree(dir: string): Promise<void> {
  if (removeSmallTree(dir)) return; // a few entries: no fork
  await runToolOk('rm', ['-rf', '--one-file-system', '--', dir], `removing ${dir}`);
}

/** Copies a tree with owners, modes, xattrs and special files (`cp -a`, clones where the filesystem can). */
export async function copyTree(src: string, dest: string, doing: string): Promise<void> {
  await runToolOk('cp', ['-a', '--reflink=auto', '-T', '--', src, dest], doing);
}
