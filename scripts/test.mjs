#!/usr/bin/env node
// `npm test`: set-up (as npm start does, plus the test tools), then the whole vitest suite, then one
// closing line "N passed, N failed, N skipped" that CI reads. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const setup = spawnSync(process.execPath, [path.join(repo, 'scripts/setup.mjs'), '--test'], { stdio: 'inherit' });
if (setup.status !== 0) process.exit(setup.status ?? 1);

const results = path.join(repo, 'test/.artifacts/results.json');
fs.mkdirSync(path.dirname(results), { recursive: true });
fs.rmSync(results, { force: true });
const vitest = spawnSync(
  path.join(repo, 'node_modules/.bin/vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: repo },
);
try {
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  process.stdout.write(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`);
  if (r.numTotalTests === 0) {
    process.stdout.write('no test ran\n');
    process.exit(1);
  }
} catch {
  process.stdout.write('\nvitest: the results file is missing: the run did not finish\n');
  process.exit(vitest.status || 1);
}
process.exit(vitest.status ?? 1);
