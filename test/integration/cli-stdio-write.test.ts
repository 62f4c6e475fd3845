/**
 * The CLI writes its output to fds 1 and 2 directly (src/cli/output/stdio-write.ts): everything
 * arrives, in order, through a slow pipe; a reader that goes away ends the command quietly (exit 0,
 * no error), as SIGPIPE ends Go and C programs.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '..', '..');
const selkie = path.join(repo, 'bin', 'selkie');
let dir: string;
let script: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-stdio-'));
  const entry = path.join(dir, 'main.ts');
  fs.writeFileSync(
    entry,
    `import { writeStdout, writeStderr } from ${JSON.stringify(path.join(repo, 'src/cli/output/stdio-write.ts'))};
for (let i = 0; i < 20000; i++) writeStdout(\`line \${i} \${'x'.repeat(100)}\\n\`);
writeStderr('done\\n');`,
  );
  script = path.join(dir, 'main.cjs');
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'silent' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('direct stdio writes', () => {
  it('deliver everything in order to a reader slower than the writer', async () => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2); // a slow reader: the pipe fills up
    });
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    const lines = Buffer.concat(chunks).toString().split('\n').filter(Boolean);
    expect(lines).toHaveLength(20000);
    expect(lines.every((l, i) => l.startsWith(`line ${i} `))).toBe(true);
    expect(stderr).toBe('done\n');
  });

  it('end quietly when the reader has gone (EPIPE)', () => {
    const r = spawnSync('sh', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(script)} | true; echo "status $?"`], { encoding: 'utf8' });
    expect(r.stdout).toContain('status 0');
    expect(r.stderr).toBe('');
  });

  it('the CLI: help through a closed pipe exits 0 without an error; errors still reach stderr', () => {
    const r = spawnSync('bash', ['-c', `${selkie} --help | (exec 0<&-; true); echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stdout).toContain('status 0');
    expect(r.stderr).toBe('');
    const bad = spawnSync(selkie, ['no-such-command'], { encoding: 'utf8' });
    expect(bad.status).toBe(125);
    expect(bad.stderr).toMatch(/^Error: unknown command "no-such-command"/);
  });
});
