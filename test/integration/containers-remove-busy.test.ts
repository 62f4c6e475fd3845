/**
 * A removal that fails (the root filesystem is busy) leaves the container dead with the reason, not
 * "removing" for ever: the error says what failed and what to do, and a later rm succeeds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let holder: ChildProcess | undefined;

beforeAll(async () => {
  s = await busyboxEnv();
});

afterAll(async () => {
  holder?.kill('SIGKILL');
  await s.cleanup();
});

describe('rm of a container whose storage is busy', () => {
  it('fails clearly, marks the container dead, and succeeds once the filesystem is free', async () => {
    expect((await s.run(['create', '--name', 'busy', 'localhost/busybox', 'true'])).code).toBe(0);
    const mounted = await s.run(['mount', 'busy']);
    expect(mounted.code, mounted.stderr).toBe(0);
    // A process whose working directory is inside the container's root filesystem keeps it busy.
    holder = spawn('sleep', ['60'], { cwd: mounted.stdout.trim(), stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));

    const failed = await s.run(['rm', 'busy']);
    expect(failed.code).toBe(125);
    expect(failed.stderr).toMatch(/cannot remove container busy: its storage could not be removed: .*busy/);
    const ps = await s.run(['ps', '-a', '--filter', 'name=busy', '--format', '{{.Names}} {{.State}}']);
    expect(ps.stdout).toBe('busy dead\n');
    const error = await s.run(['inspect', '--format', '{{.State.Error}}', 'busy']);
    expect(error.stdout).toMatch(/^removal failed: /);

    holder.kill('SIGKILL');
    await new Promise((r) => holder!.once('exit', r));
    const again = await s.run(['rm', 'busy']);
    expect(again.code, again.stderr).toBe(0);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  }, 60_000);
});
