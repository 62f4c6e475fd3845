/** What a command gets: the global options, the Engine (created on first use) and output helpers. */
import type { Engine } from '../engine/engine.js';
import type { GlobalOptions } from './global-options.js';
import { loadLocalEngine } from './load-engine.js';
import { loadRemoteEngine } from './load-remote-engine.js';
import { writeStderr, writeStdout } from './output/stdio-write.js';

export class CliContext {
  private enginePromise?: Promise<Engine>;

  constructor(
    readonly globals: GlobalOptions,
    /** The command path as the user typed it ("images", "image ls"). */
    readonly commandName: string,
  ) {}

  /** The Engine: local by default; remote with --url/--connection (the varlink issue). */
  engine(): Promise<Engine> {
    this.enginePromise ??= this.createEngine();
    return this.enginePromise;
  }

  private async createEngine(): Promise<Engine> {
    const g = this.globals;
    // --url, --connection, --remote or CONTAINER_HOST/CONTAINER_CONNECTION: the Engine over varlink.
    if (g.url || g.connection || g.remote || process.env.CONTAINER_HOST || process.env.CONTAINER_CONNECTION) {
      const remote = (await loadRemoteEngine()).remoteEngineFor(g);
      if (remote) return remote;
    }
    const { LocalEngine } = await loadLocalEngine();
    return new LocalEngine({
      root: g.root,
      runRoot: g.runroot,
      storageDriver: g.storageDriver as 'overlay' | 'vfs' | undefined,
      storageOptions: g.storageOpt,
      runtime: g.runtime,
      cgroupManager: g.cgroupManager,
      logLevel: g.logLevel,
    });
  }

  async close(): Promise<void> {
    if (this.enginePromise) await (await this.enginePromise.catch(() => undefined))?.close();
  }

  out(text: string): void {
    writeStdout(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  }

  err(text: string): void {
    writeStderr(text.endsWith('\n') ? text : `${text}\n`);
  }

  debug(text: string): void {
    if (this.globals.logLevel === 'debug') writeStderr(`DEBU ${text}\n`);
  }
}
