/** Runs the host's network tools (ip, nft, unshare, umount) with a script on stdin; one spawn each. */
import { spawn } from 'node:child_process';
import { missingTool, SelkieError } from '../errors.js';

const packages: Record<string, string> = { ip: 'iproute2', nft: 'nftables', unshare: 'util-linux', umount: 'mount', nsenter: 'util-linux' };
const sbin = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Run `argv` with `input` on stdin; resolves with its exit code and stderr. */
export function runHostCommand(argv: string[], input = ''): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { PATH: `${process.env.PATH ?? ''}:${sbin.join(':')}`, LC_ALL: 'C' };
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(missingTool(argv[0]!, packages[argv[0]!] ?? argv[0]!));
      else reject(e);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stderr: stderr.trim() }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** Like runHostCommand, but a non-zero exit is a SelkieError saying what `what` failed. */
export async function mustRun(argv: string[], input: string, what: string): Promise<void> {
  const r = await runHostCommand(argv, input);
  if (r.code !== 0) throw new SelkieError('runtime', `${what} failed: ${r.stderr.split('\n').slice(0, 3).join(' ') || `${argv[0]} exited with ${r.code}`}`);
}
