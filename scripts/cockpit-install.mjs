#!/usr/bin/env node
// Builds the Cockpit plugin (the page with Vite into dist/ui, the bridge with the CLI bundles) and
// installs it as the Cockpit package "selkie".
//   node scripts/cockpit-install.mjs              build, then copy dist/ui to /usr/share/cockpit/selkie
//   node scripts/cockpit-install.mjs --dev        build, then link ~/.local/share/cockpit/selkie → dist/ui
//   node scripts/cockpit-install.mjs --build-only build only (npm run build:ui)
//   node scripts/cockpit-install.mjs --uninstall  remove both installs
// The page runs `node dist/bridge/selkie-bridge.cjs` of this checkout: dist/ui/selkie-config.json
// says where, so the installed copy keeps working from /usr/share.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uiDir = path.join(repo, 'dist/ui');
const bridge = path.join(repo, 'dist/bridge/selkie-bridge.cjs');
export const systemDir = '/usr/share/cockpit/selkie';
export const devDir = (home = os.homedir()) => path.join(home, '.local/share/cockpit/selkie');
const step = (msg) => process.stdout.write(`[cockpit] ${msg}\n`);

/**
 * Vite build of src/ui, then the package files Cockpit reads next to index.html, all in a temp dir
 * that replaces dist/ui by renames: a page or test reading dist/ui during a rebuild never sees half.
 */
export async function buildUi() {
  const { build } = await import('vite');
  const tmp = path.join(repo, 'dist', `.ui-build-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    await build({
      configFile: path.join(repo, 'vite.config.ts'),
      root: path.join(repo, 'src/ui'),
      logLevel: 'warn',
      build: { outDir: tmp, emptyOutDir: true, chunkSizeWarningLimit: 1024 },
    });
    if (!fs.existsSync(bridge)) {
      const { buildCli } = await import('./build.mjs');
      await buildCli();
    }
    fs.copyFileSync(path.join(repo, 'manifest.json'), path.join(tmp, 'manifest.json'));
    writeConfig(tmp, {});
    const old = path.join(repo, 'dist', `.ui-old-${process.pid}`);
    if (fs.existsSync(uiDir)) fs.renameSync(uiDir, old);
    fs.renameSync(tmp, uiDir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** selkie-config.json: the node binary and bridge the page spawns, and extra bridge arguments. */
export function writeConfig(dir, { bridgeArgs = [] } = {}) {
  const config = { node: process.execPath, bridge, bridgeArgs };
  fs.writeFileSync(path.join(dir, 'selkie-config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** True when the build in dist/ui is older than its sources (or missing). */
export function uiIsStale() {
  const built = path.join(uiDir, 'selkie-config.json');
  if (!fs.existsSync(built) || !fs.existsSync(bridge)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  let newest = 0;
  const walk = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['src/ui', 'src/bridge/protocol.ts', 'src/bridge/json-lines.ts', 'vite.config.ts', 'manifest.json', 'package-lock.json']) walk(path.join(repo, p));
  return newest > builtAt;
}

/** Copy dist/ui to /usr/share/cockpit/selkie (through a temp dir and a rename: never half a package). */
export function installSystem() {
  const tmp = `${systemDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(uiDir, tmp, { recursive: true });
  const old = `${systemDir}.old-${process.pid}`;
  if (fs.existsSync(systemDir)) fs.renameSync(systemDir, old);
  fs.renameSync(tmp, systemDir);
  fs.rmSync(old, { recursive: true, force: true });
  step(`installed in ${systemDir}: open Cockpit (https://HOST:9090) and choose "Selkie containers"`);
}

/** Link ~/.local/share/cockpit/selkie to dist/ui, so a rebuild shows on reload. */
export function installDev(home = os.homedir()) {
  const link = devDir(home);
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(uiDir, link);
  step(`linked ${link} → ${uiDir}`);
}

export const cockpitPresent = () => fs.existsSync('/usr/lib/cockpit/cockpit-ws') || fs.existsSync('/usr/libexec/cockpit-ws');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  try {
    if (args.has('--uninstall')) {
      fs.rmSync(systemDir, { recursive: true, force: true });
      fs.rmSync(devDir(), { recursive: true, force: true });
      step('removed the selkie Cockpit package');
    } else {
      step('building the page (dist/ui) and the bridge (dist/bridge)');
      await buildUi();
      if (args.has('--dev')) installDev();
      else if (!args.has('--build-only')) {
        if (!cockpitPresent()) step('Cockpit is not installed here (apt-get install cockpit-ws cockpit-bridge cockpit-system); installing the package anyway');
        installSystem();
      }
    }
  } catch (e) {
    process.stderr.write(`[cockpit] failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
