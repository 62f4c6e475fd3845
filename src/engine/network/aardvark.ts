/**
 * Name resolution on user networks through Debian's aardvark-dns, driven as netavark drives it: one
 * config file per network in a directory (first line: the gateway addresses it listens on; then one
 * line per container: `ID IPv4 IPv6 name,alias,...`), one aardvark-dns process for the directory
 * (it daemonizes itself and writes aardvark.pid), SIGHUP when a file changed, SIGTERM when none is left.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';

const candidates = ['/usr/lib/podman/aardvark-dns', '/usr/libexec/podman/aardvark-dns', '/usr/local/libexec/podman/aardvark-dns'];

export function aardvarkBinary(): string | undefined {
  return candidates.find((c) => fs.existsSync(c));
}

export interface DnsEntry {
  containerId: string;
  ip: string;
  /** Container name first, then aliases and the short ID. */
  names: string[];
}

export function configFileText(gateway: string, entries: DnsEntry[]): string {
  return [gateway, ...entries.map((e) => `${e.containerId} ${e.ip}  ${e.names.join(',')}`)].join('\n') + '\n';
}

export class Aardvark {
  constructor(readonly dir: string) {}

  private pid(): number | undefined {
    try {
      const pid = Number.parseInt(fs.readFileSync(path.join(this.dir, 'aardvark.pid'), 'utf8'), 10);
      if (!pid) return undefined;
      process.kill(pid, 0);
      // a recycled PID must be aardvark-dns serving this directory
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('aardvark-dns') && cmd.includes(this.dir) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  private networkFiles(): string[] {
    try {
      return fs.readdirSync(this.dir).filter((f) => f !== 'aardvark.pid' && !f.startsWith('.'));
    } catch {
      return [];
    }
  }

  /** Write (or, with no entries, remove) a network's file, then start, reload or stop the server. */
  async update(network: string, gateway: string, entries: DnsEntry[]): Promise<void> {
    const file = path.join(this.dir, network);
    if (entries.length) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileAtomic(file, configFileText(gateway, entries));
    } else {
      fs.rmSync(file, { force: true });
    }
    const pid = this.pid();
    if (!this.networkFiles().length) {
      if (pid) process.kill(pid, 'SIGTERM');
      return;
    }
    if (pid) {
      process.kill(pid, 'SIGHUP');
      return;
    }
    const bin = aardvarkBinary();
    if (!bin) return; // no aardvark-dns: containers still run, without name resolution
    await new Promise<void>((resolve) => {
      const child = spawn(bin, ['--config', this.dir, '-p', '53', 'run'], { stdio: 'ignore', detached: true });
      child.on('error', () => resolve());
      child.on('close', () => resolve()); // the foreground process exits once the daemon serves
    });
  }
}
