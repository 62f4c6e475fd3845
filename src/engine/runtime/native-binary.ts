/**
 * Where Selkie's native helpers (native/conmon, built by `npm run build` or `make`) are installed:
 * <repo>/build/native/<name>, the repo being the directory with package.json above the running code
 * (src/ under vitest, dist/ when bundled). SELKIE_NATIVE_DIR overrides it (packaging, tests).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import { repoRoot } from '../util/repo-root.js';

export function nativeDir(): string {
  return process.env.SELKIE_NATIVE_DIR || path.join(repoRoot(), 'build', 'native');
}

/** The path of a native helper; a missing-tool error telling how to build it when it is absent. */
export function nativeBinary(name: string): string {
  const p = path.join(nativeDir(), name);
  try {
    fs.accessSync(p, fs.constants.X_OK);
  } catch {
    throw new SelkieError('missing-tool', `Selkie's helper ${name} is not built (looked for ${p})`, {
      hint: 'build it with: npm run build (or make -C native/conmon OUT=$PWD/build/native)',
    });
  }
  return p;
}
