/**
 * Versions of host programs (OCI runtime, conmon). Asking a program costs a fork and exec, so the
 * answer is cached in the run root, keyed by the binary's path, size and mtime.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ComponentVersion } from '../types/system.js';
import { writeFileAtomic } from '../util/atomic-file.js';

type Cache = Record<string, { key: string; version: string }>;

export async function componentVersions(
  runRoot: string,
  components: { name: string; path: string | undefined }[],
): Promise<ComponentVersion[]> {
  const cacheFile = path.join(runRoot, 'component-versions.json');
  let cache: Cache = {};
  try {
    cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Cache;
  } catch {
    // no cache yet
  }
  let dirty = false;
  const out = await Promise.all(
    components.map(async ({ name, path: bin }) => {
      if (!bin) return { Name: name, Path: '', Version: 'not installed' };
      let key: string;
      try {
        const st = fs.statSync(bin);
        key = `${st.size}:${st.mtimeMs}`;
      } catch {
        return { Name: name, Path: bin, Version: 'not installed' };
      }
      const hit = cache[bin];
      if (hit && hit.key === key) return { Name: name, Path: bin, Version: hit.version };
      const version = await ask(bin);
      cache[bin] = { key, version };
      dirty = true;
      return { Name: name, Path: bin, Version: version };
    }),
  );
  if (dirty) {
    try {
      writeFileAtomic(cacheFile, JSON.stringify(cache));
    } catch {
      // a read-only run root only costs the cache
    }
  }
  return out;
}

function ask(bin: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(bin, ['--version'], { timeout: 5000 }, (err, stdout) => {
      if (err) return resolve('unknown');
      // "runc version 1.1.5+ds1", "crun version 1.8.1", "conmon version 2.1.6"
      const first = stdout.split('\n').find((l) => /version/i.test(l)) ?? stdout.split('\n')[0] ?? '';
      resolve(first.trim());
    });
  });
}
