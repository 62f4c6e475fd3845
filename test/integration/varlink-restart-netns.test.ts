/**
 * StartContainer right after StopContainer on a bridge-networked container, through the varlink
 * service: the new run waits for conmon's exit command to finish releasing the previous run (same
 * netns path, same leases) instead of failing with `invalid netns path` / EPERM on the netns file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VarlinkClient } from '../../src/engine/varlink/client.js';
import { isVarlinkError } from '../../src/engine/varlink/varlink-error.js';
import { busyboxEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let service: ChildProcess;
let sock: string;

beforeAll(async () => {
  s = await busyboxEnv();
  sock = path.join(path.dirname(s.root), 'varlink.sock');
  service = spawn(selkieBin, [...s.flags, 'system', 'service', '--varlink', '--timeout', '0', `unix:${sock}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  service.stderr?.on('data', (d: Buffer) => process.stderr.write(`[varlink service] ${d}`));
  for (const until = Date.now() + 15_000; ; ) {
    try {
      (await VarlinkClient.connect(`unix:${sock}`)).close();
      break;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}, 60_000);

afterAll(async () => {
  if (service && service.exitCode === null) {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
  }
  await s?.cleanup();
}, 60_000);

describe('stop then start at once (bridge network)', () => {
  it('every start succeeds, whenever conmon exit command releases the previous run', async () => {
    const run = await s.run(['run', '-d', '--name', 'flip', 'localhost/busybox', 'sleep', '1000']);
    expect(run.code, run.stderr).toBe(0);
    const c = await VarlinkClient.connect(`unix:${sock}`);
    const failures: string[] = [];
    // The exit command (a new selkie process) claims the release some 100-500 ms after the stop on
    // this host: starting at delays across that window hits its teardown in progress.
    for (let i = 0; i < 20; i++) {
      await c.call('io.selkie.StopContainer', { name: 'flip', timeout: 0 });
      await new Promise((r) => setTimeout(r, 100 + (i % 10) * 60));
      try {
        await c.call('io.selkie.StartContainer', { name: 'flip' });
      } catch (e) {
        failures.push(isVarlinkError(e) ? JSON.stringify(e.parameters) : String(e));
      }
    }
    c.close();
    expect(failures).toEqual([]);
    const inspect = JSON.parse((await s.run(['inspect', '--format', 'json', 'flip'])).stdout) as { State: { Running: boolean }; NetworkSettings: { IPAddress: string } }[];
    expect(inspect[0]!.State.Running).toBe(true);
    expect(inspect[0]!.NetworkSettings.IPAddress).toMatch(/^10\.77\./);
    expect((await s.run(['rm', '-f', 'flip'])).code).toBe(0);
  }, 120_000);
});
