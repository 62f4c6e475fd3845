#!/usr/bin/env node
// Builds the CLI into dist/cli: one small entry bundle plus one CommonJS bundle per command, so a
// command's start-up parses only its own code. Then the native helpers (native/conmon).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

// Node's built-in modules are loaded on first use: esbuild would turn each `import fs from
// 'node:fs'` into __toESM(require('node:fs')), copying the module once per importing file, and load
// child_process, crypto, net, ... at start-up even for a command that never uses them (together
// ~25 ms of every command's start-up). Every require("node:X") in the bundles instead gets one shared
// view per module that requires the module when a property is first read.
const builtinHelper = [
  'var __selkie_builtins={};',
  'function __selkieBuiltin(id){',
  'if(__selkie_builtins[id])return __selkie_builtins[id];',
  'let m;const real=()=>(m??=require(id));',
  'const view=new Proxy({},{get:(_,k)=>k==="default"?view:real()[k],has:(_,k)=>k in real(),ownKeys:()=>Reflect.ownKeys(real()),',
  'getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(real(),k);return d&&{...d,configurable:true};}});',
  'return __selkie_builtins[id]=view;}',
].join('');
const shareBuiltins = (code) =>
  code.replace(/__toESM\(require\("(node:[a-z_/]+)"\)(?:,\s*1)?\)/g, '__selkieBuiltin("$1")').replace(/(?<![\w.$])require\("(node:(?!url")[a-z_/]+)"\)/g, '__selkieBuiltin("$1")');

export async function buildCli() {
  const commandsDir = path.join(repo, 'src/cli/commands');
  // cli/selkie is a small stub that loads cli/main (the CLI) through V8's code cache (code-cache.ts).
  const entryPoints = { 'cli/selkie': path.join(repo, 'src/cli/entry.ts'), 'cli/main': path.join(repo, 'src/cli/bin.ts'), 'cli/engine': path.join(repo, 'src/engine/local/local-engine.ts'), 'cli/remote-engine': path.join(repo, 'src/engine/remote/remote-factory.ts'), 'bridge/selkie-bridge': path.join(repo, 'src/bridge/main.ts') };
  // The worker threads that apply a pull's layers (src/engine/images/pull-apply-worker.ts) load this small bundle.
  entryPoints['cli/layer-worker'] = path.join(repo, 'src/engine/images/pull-apply-worker.ts');
  for (const f of fs.readdirSync(commandsDir)) {
    if (f.endsWith('.ts')) entryPoints[`cli/commands/${f.slice(0, -3)}`] = path.join(commandsDir, f);
  }
  for (const f of fs.existsSync(path.join(repo, 'bench')) ? fs.readdirSync(path.join(repo, 'bench')) : []) {
    if (f.endsWith('.ts')) entryPoints[`bench/${f.slice(0, -3)}`] = path.join(repo, 'bench', f);
  }
  const result = await build({
    entryPoints,
    outdir: path.join(repo, 'dist'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // yaml (a quarter of the engine bundle) is loaded from node_modules by the few commands that need it.
    // better-sqlite3's JavaScript is bundled (state/database.ts names its native addon, so its
    // `bindings` lookup never runs and stays external).
    external: ['bindings', 'yaml'],
    // varlink interface definitions (src/engine/varlink/interfaces/*.varlink) are embedded as text.
    loader: { '.varlink': 'text' },
    minifySyntax: true,
    minifyWhitespace: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    define: {
      'import.meta.url': '__selkie_import_meta_url',
      __SELKIE_VERSION__: JSON.stringify(pkg.version),
    },
    banner: { js: `var __selkie_import_meta_url=require('node:url').pathToFileURL(__filename).href;${builtinHelper}` },
    write: false,
  });
  // Each file is written to a temp name and renamed, so a CLI running during a rebuild never
  // reads a half-written bundle (or the entry without its #! line).
  for (const f of result.outputFiles) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    let data = f.path.endsWith('.cjs') ? shareBuiltins(f.text) : f.contents;
    // One non-ASCII character (esbuild escapes them, except inside regular expression literals) makes
    // V8 hold the whole bundle as a two-byte string: twice the memory and slower to read and compile.
    const wide = typeof data === 'string' ? /[^\x00-\x7f]/.exec(data) : null;
    if (wide) throw new Error(`${path.relative(repo, f.path)} has a non-ASCII character near ${JSON.stringify(data.slice(Math.max(0, wide.index - 60), wide.index + 20))}: escape it in the source (\\uXXXX)`);
    // '--' ends node's own options: Node 20 would otherwise read a container's --env-file flag as its own.
    if (f.path.endsWith(`${path.sep}cli${path.sep}selkie.cjs`)) data = `#!/usr/bin/env -S node --\n${data}`;
    const tmp = `${f.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: f.path.endsWith(`${path.sep}cli${path.sep}selkie.cjs`) ? 0o755 : 0o644 });
    fs.renameSync(tmp, f.path);
  }
}

export function buildNative() {
  execFileSync('make', ['-s', '-C', path.join(repo, 'native/conmon'), `OUT=${path.join(repo, 'build/native')}`], { stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
  buildNative();
}
