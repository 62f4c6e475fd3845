/** Runs the host's network tools (ip, nft, unshare, umount) with a script on stdin; one program each. */
import { runProgram } from '../util/program-runner.js';
import { missingTool, SelkieError } from '../errors.js';

const packages: Record<string, string> = { ip: 'iproute2', nft: 'nftables', unshare: 'util-linux', umount: 'mount', nsenter: 'util-linux' };
const sbin = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Run `argv` with `input` on stdin; resolves with its exit code and stderr. */
export async function runHostCommand(argv: string[], input = ''): Promise<{ code: number; stderr: string }> {
  const env = { PATH: `${process.env.PATH ?? ''}:${sbin.join(':')}`, LC_ALL: 'C' };
  try {
    const r = await runProgram(argv, { input, env });
    return { code: r.code, stderr: r.stderr.toString().trim() };
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code === 'ENOENT' ? missingTool(argv[0]!, packages[argv[0]!] ?? argv[0]!) : e;
  }
}

/** Like runHostCommand, but a non-zero exit is a SelkieError saying what `what` failed. */
export async function mustRun(argv: string[], input: string, what: string): Promise<void> {
  const r = await runHostCommand(argv, input);
  if (r.code !== 0) throw new SelkieError('runtime', `${what} failed: ${r.stderr.split('\n').slice(0, 3).join(' ') || `${argv[0]} exited with ${r.code}`}`);
}
