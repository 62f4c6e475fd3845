#!/usr/bin/env node
// Set-up that `npm start` and `npm test` share. Does only what is missing, so a second run takes
// seconds: Debian packages, npm dependencies, the build (CLI, native helpers), the built-in images.
//   node scripts/setup.mjs [--greet] [--test]
//     --greet  run a first container that prints a greeting (npm start)
//     --test   also install what the tests and benchmarks use (registry, skopeo, podman, ...)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from './busybox-rootfs.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const started = Date.now();
const step = (msg) => process.stdout.write(`[setup] ${msg}\n`);

// What the engine needs on the host, and what its tests and benchmarks use as peers and fixtures.
const runtimePackages = [
  'crun', 'runc', 'conmon', 'netavark', 'aardvark-dns', 'catatonit', 'uidmap', 'busybox-static', 'slirp4netns',
  'fuse-overlayfs', 'iproute2', 'iptables', 'nftables', 'attr', 'tar', 'make', 'gcc', 'libc6-dev', 'python3', 'g++',
];
const testPackages = [
  'docker-registry', 'skopeo', 'podman', 'apache2-utils', 'openssl', 'curl', 'hyperfine', 'socat', 'zstd', 'jq',
  'openssh-server', 'openssh-client',
  // The Cockpit plugin's end-to-end test: a real cockpit-ws, headless Chromium, a private D-Bus.
  'cockpit-ws', 'cockpit-bridge', 'cockpit-system', 'chromium', 'dbus-daemon',
];

function missingPackages(pkgs) {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Package}\\t${db:Status-Status}\\n', ...pkgs], { encoding: 'utf8' });
  const installed = new Set(
    (r.stdout ?? '').split('\n').filter((l) => l.endsWith('\tinstalled')).map((l) => l.split('\t')[0].split(':')[0]),
  );
  return pkgs.filter((p) => !installed.has(p));
}

function ensurePackages() {
  const want = [...runtimePackages, ...(args.has('--test') ? testPackages : [])];
  const missing = missingPackages(want);
  if (!missing.length) return;
  if (process.geteuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them as root: apt-get install ${missing.join(' ')}`);
  }
  step(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  // docker-registry's package starts nothing here (no systemd), but stop it if an init did.
  spawnSync('sh', ['-c', 'command -v service >/dev/null && service docker-registry stop'], { stdio: 'ignore' });
}

function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach((p) => walk(path.join(repo, p)));
  return newest;
}

function ensureNodeModules() {
  const marker = path.join(repo, 'node_modules/.package-lock.json');
  const lock = path.join(repo, 'package-lock.json');
  const sqlite = path.join(repo, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs && fs.existsSync(sqlite)) return;
  step('installing npm dependencies (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repo, stdio: 'inherit' });
}

async function ensureBuild() {
  const stamp = path.join(repo, 'dist/.build-stamp');
  const stampTime = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const sources = newestMtime(['src', 'bench', 'native', 'scripts/build.mjs', 'package-lock.json', 'test/fixtures']);
  // bin/selkie is the native launcher (build/native/selkie), which runs dist/cli/selkie.cjs.
  if (stampTime >= sources && ['dist/cli/selkie.cjs', 'build/native/selkie'].every((f) => fs.existsSync(path.join(repo, f)))) return;
  step('building the CLI and the native helpers');
  const { buildCli, buildNative } = await import('./build.mjs');
  await buildCli();
  buildNative();
  fs.writeFileSync(stamp, new Date().toISOString());
}

const selkie = path.join(repo, 'bin/selkie');
const run = (argv, opts = {}) => spawnSync(selkie, argv, { encoding: 'utf8', ...opts });

/** localhost/busybox:latest from Debian's busybox-static, through `selkie import` (no registry needed). */
function ensureBusyboxImage() {
  if (run(['image', 'exists', 'localhost/busybox:latest']).status === 0) return;
  step('creating the built-in image localhost/busybox:latest from busybox-static');
  const r = run(['import', '--change', 'CMD ["sh"]', '--message', 'busybox-static from Debian', '-', 'localhost/busybox:latest'], {
    input: busyboxRootfsTar(),
  });
  if (r.status !== 0) throw new Error(`selkie import failed: ${r.stderr.trim()}`);
}

function greet() {
  step('running a first container:');
  const r = spawnSync(selkie, ['run', '--rm', 'localhost/busybox', 'echo', 'Hello from a selkie container! It ran daemonless, through conmon and the OCI runtime.'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the first container failed (exit ${r.status})`);
}

/** The Cockpit plugin, when Cockpit is here: built if stale; installed to /usr/share/cockpit/selkie by npm start. */
async function ensureCockpitPlugin() {
  const cockpit = await import('./cockpit-install.mjs');
  if (!cockpit.cockpitPresent()) return;
  if (cockpit.uiIsStale()) {
    step('building the Cockpit plugin (dist/ui)');
    await cockpit.buildUi();
  }
  if (args.has('--greet') && process.geteuid?.() === 0) cockpit.installSystem();
}

/**
 * Rootless networking: slirp4netns opens /dev/net/tun as the user. Debian's udev makes it 0666; a
 * host without udev (containers, minimal VMs) leaves the kernel's 0600, so root sets Debian's mode.
 */
function ensureTunForUsers() {
  if (process.geteuid?.() !== 0) return;
  try {
    const st = fs.statSync('/dev/net/tun');
    if (st.isCharacterDevice() && (st.mode & 0o666) !== 0o666) {
      step('making /dev/net/tun usable by users (mode 0666, as Debian\'s udev rule does) for rootless slirp4netns');
      fs.chmodSync('/dev/net/tun', 0o666);
    }
  } catch {
    // no tun device: rootless containers get --network none by default
  }
}

try {
  ensurePackages();
  ensureNodeModules();
  await ensureBuild();
  ensureBusyboxImage();
  ensureTunForUsers();
  await ensureCockpitPlugin();
  if (args.has('--greet')) greet();
  step(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s — the CLI is bin/selkie`);
} catch (e) {
  process.stderr.write(`[setup] failed: ${e.message}\n`);
  process.exit(1);
}
