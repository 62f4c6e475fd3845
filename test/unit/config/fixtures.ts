/** Temp directory trees for the config tests; nothing touches /etc or the real home. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { RegistriesConfigOptions } from '../../../src/engine/config/registries-conf.js';

const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the test. */
export function tempDir(prefix = 'selkie-config-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Writes files (relative path → content) under root, creating directories. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** A fake root with `files` (etc/registries.conf(.d), home/.config, home/.cache) and the options that read it. */
export function registriesRoot(files: Record<string, string>): { root: string; opts: RegistriesConfigOptions } {
  const root = tempDir();
  writeTree(root, files);
  return {
    root,
    opts: {
      env: { HOME: path.join(root, 'home') },
      uid: 1000,
      systemConfPath: path.join(root, 'etc/registries.conf'),
      systemConfDirPath: path.join(root, 'etc/registries.conf.d'),
    },
  };
}
