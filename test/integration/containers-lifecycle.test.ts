import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
});
afterAll(async () => s.cleanup());

const loop = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'];
const status = async (name: string) => (await s.run(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}'])).stdout.trim();

describe('restart, pause, unpause, rename', () => {
  it('pauses and unpauses a running container, and stops a paused one', async () => {
    expect((await s.run(['run', '-d', '--name', 'p1', 'busybox', ...loop])).code).toBe(0);
    expect((await s.run(['pause', 'p1'])).stdout).toBe('p1\n');
    expect(await status('p1')).toMatch(/^Up .* \(Paused\)$/);
    expect((await s.run(['inspect', '--format', '{{.State.Status}} {{.State.Paused}}', 'p1'])).stdout).toBe('paused true\n');
    const again = await s.run(['pause', 'p1']);
    expect(again.code).toBe(125);
    expect(again.stderr).toContain('container p1 is already paused');
    expect((await s.run(['unpause', 'p1'])).stdout).toBe('p1\n');
    expect(await status('p1')).toMatch(/^Up /);
    expect((await s.run(['unpause', 'p1'])).stderr).toContain('container p1 is not paused');
    await s.run(['pause', 'p1']);
    expect((await s.run(['stop', '-t', '5', 'p1'])).code).toBe(0);
    expect(await status('p1')).toMatch(/^Exited \(0\)/);
    const stopped = await s.run(['pause', 'p1']);
    expect(stopped.code).toBe(125);
    expect(stopped.stderr).toContain('container p1 is not running');
  });

  it('restarts a running container with a new process, and starts a stopped one', async () => {
    const pid = async () => Number((await s.run(['inspect', '--format', '{{.State.Pid}}', 'p1'])).stdout);
    expect((await s.run(['restart', 'p1'])).stdout).toBe('p1\n');
    expect(await status('p1')).toMatch(/^Up /);
    const first = await pid();
    expect((await s.run(['restart', '-t', '3', 'p1'])).code).toBe(0);
    const second = await pid();
    expect(second).toBeGreaterThan(0);
    expect(second).not.toBe(first);
    expect((await s.run(['restart', 'no-such-container'])).code).toBe(125);
  });

  it('renames a container and refuses a name in use', async () => {
    expect((await s.run(['create', '--name', 'taken', 'busybox', 'true'])).code).toBe(0);
    const dup = await s.run(['rename', 'p1', 'taken']);
    expect(dup.code).toBe(125);
    expect(dup.stderr).toContain('cannot rename container p1 to "taken": the name is already in use');
    expect((await s.run(['rename', 'p1', 'p2'])).code).toBe(0);
    expect((await s.run(['container', 'exists', 'p1'])).code).toBe(1);
    expect(await status('p2')).toMatch(/^Up /);
    expect((await s.run(['rename', 'p2', 'bad name'])).code).toBe(125);
    expect((await s.run(['rm', '-f', 'p2', 'taken'])).code).toBe(0);
  });
});

describe('container prune', () => {
  it('removes stopped and created containers only, honouring label filters', async () => {
    const running = (await s.run(['run', '-d', '--name', 'keep-running', 'busybox', ...loop])).stdout.trim();
    const exited = (await s.run(['run', '--name', 'done', 'busybox', 'sh', '-c', 'echo data > /file'])).code;
    expect(exited).toBe(0);
    const created = (await s.run(['create', '--name', 'fresh', '-l', 'keep=yes', 'busybox', 'true'])).stdout.trim();
    const doneId = (await s.run(['inspect', '--format', '{{.Id}}', 'done'])).stdout.trim();

    const filtered = await s.run(['container', 'prune', '-f', '--filter', 'label!=keep']);
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toMatch(new RegExp(`^${doneId}\nTotal reclaimed space: \\d`));
    expect((await s.run(['container', 'exists', 'fresh'])).code).toBe(0);

    const declined = await s.run(['container', 'prune'], { input: 'n\n' });
    expect(declined.stderr).toContain('Are you sure you want to continue? [y/N]');
    expect((await s.run(['container', 'exists', 'fresh'])).code).toBe(0);

    const all = await s.run(['container', 'prune'], { input: 'y\n' });
    expect(all.stdout).toMatch(new RegExp(`^${created}\nTotal reclaimed space: \\d+(\\.\\d+)?k?B\n$`));
    expect((await s.run(['ps', '-a', '-q', '--no-trunc'])).stdout).toBe(`${running}\n`);
    expect((await s.run(['container', 'prune', '-f', '--filter', 'bogus=1'])).code).toBe(125);
    await s.run(['rm', '-f', running]);
  });
});
