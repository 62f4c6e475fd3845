/**
 * An SSH channel as a byte stream: Debian's `ssh` (BatchMode, so it never prompts) runs
 * `selkie varlink bridge` on the remote host, whose stdin/stdout carry varlink. If ssh exits before
 * the remote side said anything, the stream fails with ssh's own complaint naming the host.
 */
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { ensureSshMaster, sshControlFor } from './ssh-master.js';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
  /** Socket path of the service on the remote host (default: its standard one). */
  socketPath?: string;
  identity?: string;
}

export function sshLabel(t: SshTarget): string {
  return `ssh://${t.user ? `${t.user}@` : ''}${t.host}${t.port ? `:${t.port}` : ''}${t.socketPath ?? ''}`;
}

/** ssh's options for a target: how to log in, never prompting (also a master's, ssh-master.ts). */
export function sshBaseArgs(t: SshTarget, env: NodeJS.ProcessEnv = process.env): string[] {
  const args = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'StrictHostKeyChecking=accept-new', '-T', '-e', 'none'];
  if (env.SELKIE_SSH_KNOWN_HOSTS) args.push('-o', `UserKnownHostsFile=${env.SELKIE_SSH_KNOWN_HOSTS}`);
  if (t.identity) args.push('-i', t.identity, '-o', 'IdentitiesOnly=yes');
  if (t.port) args.push('-p', String(t.port));
  if (t.user) args.push('-l', t.user);
  return args;
}

/** The ssh command line for a target (exported for tests); `controlSocket`: a session through that master. */
export function sshArgs(t: SshTarget, env: NodeJS.ProcessEnv = process.env, controlSocket?: string): string[] {
  const remote = env.SELKIE_REMOTE_COMMAND || 'selkie';
  const args = sshBaseArgs(t, env);
  if (controlSocket) args.push('-o', 'ControlMaster=no', '-S', controlSocket);
  const command = [remote, 'varlink', 'bridge', ...(t.socketPath ? [`unix:${t.socketPath}`] : [])].map(shellQuote).join(' ');
  args.push('--', t.host, command);
  return args;
}

/**
 * A stream to the target's `selkie varlink bridge`, through the host's shared connection when one
 * can be had (ssh-master.ts), else a connection of its own.
 */
export async function openSharedSshStream(t: SshTarget, env: NodeJS.ProcessEnv = process.env): Promise<Duplex> {
  const ctl = sshControlFor(t, env);
  if (!ctl) return openSshStream(t);
  const master = await ensureSshMaster(ctl, sshBaseArgs(t, env), t.host);
  if (master.error) throw new Error(`cannot reach ${sshLabel(t)} over ssh: ${master.error}`);
  return openSshStream(t, master.ok ? ctl.socket : undefined);
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function openSshStream(t: SshTarget, controlSocket?: string): Duplex {
  const child = spawn('ssh', sshArgs(t, process.env, controlSocket), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let heard = false;
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  child.stdin.on('error', () => undefined);
  const stream = new Duplex({
    read() {
      child.stdout.resume();
    },
    write(chunk: Buffer, _enc, done) {
      if (child.stdin.destroyed) return done();
      child.stdin.write(chunk, () => done());
    },
    final(done) {
      child.stdin.end();
      done();
    },
    destroy(err, done) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      done(err);
    },
  });
  child.stdout.on('data', (d: Buffer) => {
    heard = true;
    if (!stream.push(d)) child.stdout.pause();
  });
  child.on('error', (e: NodeJS.ErrnoException) =>
    stream.destroy(new Error(e.code === 'ENOENT' ? 'ssh is not installed (apt-get install openssh-client)' : `cannot run ssh: ${e.message}`)),
  );
  child.on('close', (code) => {
    const said = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
    if (!heard && code !== 0) stream.destroy(new Error(`cannot reach ${sshLabel(t)} over ssh: ${said || `ssh exited with code ${code}`}`));
    else stream.push(null);
  });
  return stream;
}
