import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
});
afterAll(async () => s.cleanup());

/** Wait until a selkie-attach process for this test's root runs, then a moment for it to connect. */
async function attachHelperRunning(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const found = fs.readdirSync('/proc').some((p) => {
      try {
        const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
        return cmd.includes('selkie-attach') && cmd.includes(s.root);
      } catch {
        return false;
      }
    });
    if (found) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 200));
}

describe('attach', () => {
  it("relays a running container's output and returns its exit code", async () => {
    const script = 'i=0; while [ $i -lt 30 ]; do [ -e /tmp/go ] && break; sleep 0.1; i=$((i+1)); done; echo after; echo oops >&2; exit 5';
    expect((await s.run(['run', '-d', '--name', 'talker', 'busybox', 'sh', '-c', script])).code).toBe(0);
    const attached = s.run(['attach', 'talker']);
    await attachHelperRunning(); // let attach connect, then let the container go on
    await s.run(['exec', 'talker', 'touch', '/tmp/go']);
    const r = await attached;
    expect(r.stdout).toBe('after\n');
    expect(r.stderr).toBe('oops\n');
    expect(r.code).toBe(5);
  });

  it('relays stdin to a container started with -i', async () => {
    expect((await s.run(['run', '-d', '-i', '--name', 'reader', 'busybox', 'sh', '-c', 'read x; echo "got $x"; exit 2'])).code).toBe(0);
    const r = await s.run(['attach', 'reader'], { input: 'hello\n' });
    expect(r.stdout).toBe('got hello\n');
    expect(r.code).toBe(2);
  });

  it('refuses a container that is not running', async () => {
    const r = await s.run(['attach', 'reader']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('container reader is not running');
    expect((await s.run(['rm', 'talker', 'reader'])).code).toBe(0);
  });
});
