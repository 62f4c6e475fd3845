/**
 * Loads the CLI's CommonJS bundles with V8's code cache: compiling the bundles was most of a
 * command's start-up (the engine bundle alone is several hundred KB). The first run of a bundle
 * compiles it and, at exit, saves V8's cached data (which then covers every function that run
 * compiled); later runs hand that data to V8 and skip the compilation. Caches are named after the
 * bundle file's version; V8 rejects data made for another V8, and a rejected cache is made again.
 * Caches live next to the bundles (dist/cli/.v8-cache, when writable — root's build), else in the
 * user's cache directory. Nothing here may fail a command: any error falls back to compiling.
 */
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { shortHash } from '../engine/util/short-hash.js';

const loaded = new Map<string, unknown>();
const pending: { script: vm.Script; cacheFile: string }[] = [];
let exitHookInstalled = false;

/**
 * V8 checks cached data against the source's length, not its content, so the cache file is named
 * after this very file version (inode, size, modification time: a rebuild renames a new file into
 * place) and the V8 version.
 */
function cacheFileFor(file: string): string {
  const st = fs.statSync(file);
  const name = `${path.basename(file)}.${st.ino}-${st.size}-${Math.floor(st.mtimeMs)}.${process.versions.v8}.cache`;
  const beside = path.join(path.dirname(file), '.v8-cache');
  // Root of a rootless user's namespace (the launcher or cli/userns-reexec.ts) is that user: its own cache directory.
  if (process.getuid?.() === 0 && process.env._SELKIE_USERNS_UID === undefined) return path.join(beside, name);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const key = shortHash(file, 12); // node:crypto would cost a rootless command ~20 ms to load just for this
  return path.join(base, 'selkie', 'v8-cache', `${key}-${name}`);
}

function saveCaches(): void {
  for (const { script, cacheFile } of pending.splice(0)) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      // Caches of earlier versions of this bundle are of no use any more.
      const prefix = `${path.basename(cacheFile).split('.').slice(0, 2).join('.')}.`;
      for (const old of fs.readdirSync(path.dirname(cacheFile))) {
        if (old.startsWith(prefix) && old !== path.basename(cacheFile)) fs.rmSync(path.join(path.dirname(cacheFile), old), { force: true });
      }
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // read-only install or full disk: the next run compiles again
    }
  }
}

/** `require(file)` for one of our own bundles, through the code cache. */
export function requireWithCodeCache(file: string): unknown {
  const known = loaded.get(file);
  if (known !== undefined) return known;
  if (process.env.SELKIE_CODE_CACHE === '0') return Module.createRequire(file)(file);
  const cacheFile = cacheFileFor(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // latin1: the bundles are pure ASCII (scripts/build.mjs checks), so this is the same string, made without UTF-8 decoding.
  const source = fs.readFileSync(file, 'latin1').replace(/^#!.*/, '');
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    pending.push({ script, cacheFile });
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', saveCaches);
    }
  }
  // Our bundles use only module.exports; a plain module object keeps Node's loader out of the way.
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  loaded.set(file, mod.exports);
  return mod.exports;
}
