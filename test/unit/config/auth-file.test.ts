import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  authFilePaths,
  getCredentials,
  getCredentialsForRef,
  normalizeAuthKey,
  primaryAuthFile,
  removeAll,
  removeCredentials,
  setCredentials,
  type AuthOptions,
} from '../../../src/engine/config/auth-file.js';
import { parseDockerReference } from '../../../src/engine/images/reference.js';
import { errorOf } from './error-of.js';
import { tempDir, writeTree } from './fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const auth = (user: string, pass = 'pw') => ({ auth: b64(`${user}:${pass}`) });
const json = (v: unknown) => JSON.stringify(v, null, 2);

interface Env {
  root: string;
  home: string;
  primary: string;
  opts: AuthOptions;
}

function setup(files: Record<string, string> = {}): Env {
  const root = tempDir('selkie-auth-');
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(root, 'run'), { recursive: true });
  writeTree(root, files);
  return {
    root,
    home,
    primary: path.join(root, 'run/containers/auth.json'),
    opts: { env: { HOME: home, XDG_RUNTIME_DIR: path.join(root, 'run'), PATH: process.env.PATH }, uid: 1000 },
  };
}

describe('auth file locations', () => {
  it('lists the files in lookup order', () => {
    const { root, home, opts } = setup();
    expect(authFilePaths(opts)).toEqual([
      { file: path.join(root, 'run/containers/auth.json'), legacy: false },
      { file: path.join(home, '.config/containers/auth.json'), legacy: false },
      { file: path.join(home, '.docker/config.json'), legacy: false },
      { file: path.join(home, '.dockercfg'), legacy: true },
    ]);
  });

  it('uses REGISTRY_AUTH_FILE or --authfile as the primary file', () => {
    const { root, opts } = setup();
    const env = { ...opts.env, REGISTRY_AUTH_FILE: path.join(root, 'env.json'), XDG_CONFIG_HOME: path.join(root, 'xdg'), DOCKER_CONFIG: path.join(root, 'dc') };
    expect(primaryAuthFile({ ...opts, env })).toBe(path.join(root, 'env.json'));
    expect(primaryAuthFile({ ...opts, env, authFile: path.join(root, 'flag.json') })).toBe(path.join(root, 'flag.json'));
    expect(authFilePaths({ ...opts, env }).map((p) => p.file).slice(0, 3)).toEqual([
      path.join(root, 'env.json'),
      path.join(root, 'xdg/containers/auth.json'),
      path.join(root, 'dc/config.json'),
    ]);
  });

  it('defaults to /run/containers/UID without XDG_RUNTIME_DIR', () => {
    expect(primaryAuthFile({ env: { HOME: '/nonexistent' }, uid: 0 })).toBe('/run/containers/0/auth.json');
    expect(primaryAuthFile({ env: { HOME: '/nonexistent' }, uid: 1234 })).toBe('/run/containers/1234/auth.json');
  });
});

describe('getCredentials', () => {
  it('searches primary, XDG config, Docker config, then ~/.dockercfg', () => {
    const e = setup({
      'run/containers/auth.json': json({ auths: { 'a.io': auth('primary') } }),
      'home/.config/containers/auth.json': json({ auths: { 'a.io': auth('xdg'), 'b.io': auth('xdg') } }),
      'home/.docker/config.json': json({ auths: { 'a.io': auth('docker'), 'b.io': auth('docker'), 'c.io': auth('docker') } }),
      'home/.dockercfg': json({ 'https://d.io/v1/': auth('legacy'), 'c.io': auth('legacy') }),
    });
    expect(getCredentials('a.io', e.opts)).toEqual({ username: 'primary', password: 'pw' });
    expect(getCredentials('b.io', e.opts)?.username).toBe('xdg');
    expect(getCredentials('c.io', e.opts)?.username).toBe('docker');
    expect(getCredentials('d.io', e.opts)?.username).toBe('legacy');
    expect(getCredentials('e.io', e.opts)).toBeUndefined();
  });

  it('prefers the most specific key', () => {
    const e = setup({
      'run/containers/auth.json': json({
        auths: {
          'quay.io': auth('host'),
          'quay.io/ns': auth('namespace'),
          'quay.io/ns/repo': auth('repo'),
          'quay.io/ns/empty': {},
        },
      }),
    });
    expect(getCredentials('quay.io/ns/repo', e.opts)?.username).toBe('repo');
    expect(getCredentials('quay.io/ns/other', e.opts)?.username).toBe('namespace');
    expect(getCredentials('quay.io/ns/empty', e.opts)?.username).toBe('namespace');
    expect(getCredentials('quay.io/elsewhere/x', e.opts)?.username).toBe('host');
    expect(getCredentials('quay.io', e.opts)?.username).toBe('host');
    expect(getCredentialsForRef(parseDockerReference('quay.io/ns/repo:1'), e.opts)?.username).toBe('repo');
  });

  it('finds Docker Hub under the legacy https://index.docker.io/v1/ key', () => {
    const e = setup({
      'home/.docker/config.json': json({ auths: { 'https://index.docker.io/v1/': auth('hub', 'secret:with:colons') } }),
    });
    expect(getCredentials('docker.io', e.opts)).toEqual({ username: 'hub', password: 'secret:with:colons' });
    expect(getCredentialsForRef(parseDockerReference('busybox'), e.opts)?.username).toBe('hub');
  });

  it('returns identity tokens and username/password fields', () => {
    const e = setup({
      'run/containers/auth.json': json({
        auths: {
          'token.io': { identitytoken: 'tok' },
          'both.io': { ...auth('u'), identitytoken: 'tok2' },
          'fields.io': { username: 'fu', password: 'fp' },
        },
      }),
    });
    expect(getCredentials('token.io', e.opts)).toEqual({ username: '', password: '', identityToken: 'tok' });
    expect(getCredentials('both.io', e.opts)).toEqual({ username: 'u', password: 'pw', identityToken: 'tok2' });
    expect(getCredentials('fields.io', e.opts)).toEqual({ username: 'fu', password: 'fp' });
  });

  it('names a malformed file and says to fix or delete it', () => {
    const e = setup({ 'home/.docker/config.json': '{"auths": {' });
    const err = errorOf(() => getCredentials('quay.io', e.opts));
    expect(err.message).toContain(path.join(e.home, '.docker/config.json'));
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.hint).toBe('fix or delete it');
    const bad = setup({ 'run/containers/auth.json': json({ auths: { 'q.io': { auth: b64('nocolon') } } }) });
    expect(() => getCredentials('q.io', bad.opts)).toThrow(/"auths" entry "q.io" has an invalid "auth" value/);
    const notObject = setup({ 'run/containers/auth.json': json({ auths: [] }) });
    expect(() => getCredentials('q.io', notObject.opts)).toThrow(/"auths" must be an object/);
  });

  it('normalizes and validates keys', () => {
    expect(normalizeAuthKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normalizeAuthKey('https://quay.io/v2/')).toBe('quay.io');
    expect(normalizeAuthKey('registry-1.docker.io/library/x')).toBe('docker.io/library/x');
    expect(normalizeAuthKey('quay.io/ns/')).toBe('quay.io/ns');
    const { opts } = setup();
    expect(() => getCredentials('quay.io/ns/repo:tag', opts)).toThrow(/cannot contain a tag/);
    expect(() => getCredentials(`quay.io/ns@sha256:${'a'.repeat(64)}`, opts)).toThrow(/cannot contain a digest/);
    expect(() => getCredentials('', opts)).toThrow(/empty/);
    expect(getCredentials('localhost:5000', opts)).toBeUndefined();
  });

  it('skips a primary file whose XDG_RUNTIME_DIR does not exist', () => {
    const e = setup({ 'home/.docker/config.json': json({ auths: { 'a.io': auth('docker') } }) });
    const env = { ...e.opts.env, XDG_RUNTIME_DIR: path.join(e.root, 'missing') };
    expect(getCredentials('a.io', { ...e.opts, env })?.username).toBe('docker');
    expect(() => setCredentials('a.io', 'u', 'p', { ...e.opts, env })).toThrow(/does not exist/);
  });
});

describe('setCredentials', () => {
  it('writes the primary file atomically with mode 0600 in a 0700 directory', () => {
    const e = setup();
    expect(setCredentials('quay.io', 'me', 'pass', e.opts)).toBe(e.primary);
    expect(fs.statSync(e.primary).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(e.primary)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(e.primary, 'utf8'))).toEqual({ auths: { 'quay.io': auth('me', 'pass') } });
    expect(fs.readdirSync(path.dirname(e.primary))).toEqual(['auth.json']);
    expect(getCredentials('quay.io/any/repo', e.opts)).toEqual({ username: 'me', password: 'pass' });
  });

  it('keeps other entries and unknown keys', () => {
    const e = setup({
      'run/containers/auth.json': json({
        auths: { 'other.io': auth('other'), 'quay.io': auth('old') },
        credHelpers: { 'helper.io': 'fake' },
        HttpHeaders: { 'User-Agent': 'x' },
      }),
    });
    fs.chmodSync(e.primary, 0o644);
    setCredentials('quay.io', 'new', 'pw', e.opts);
    setCredentials('quay.io/team/app', 'scoped', 'pw', e.opts);
    expect(JSON.parse(fs.readFileSync(e.primary, 'utf8'))).toEqual({
      auths: { 'other.io': auth('other'), 'quay.io': auth('new'), 'quay.io/team/app': auth('scoped') },
      credHelpers: { 'helper.io': 'fake' },
      HttpHeaders: { 'User-Agent': 'x' },
    });
    expect(fs.statSync(e.primary).mode & 0o777).toBe(0o600);
    expect(getCredentials('quay.io/team/app', e.opts)?.username).toBe('scoped');
    expect(getCredentials('quay.io/team/other', e.opts)?.username).toBe('new');
  });

  it('writes to --authfile and normalizes URL keys', () => {
    const e = setup();
    const authFile = path.join(e.root, 'custom/auth.json');
    expect(setCredentials('https://index.docker.io/v1/', 'hub', 'pw', { ...e.opts, authFile })).toBe(authFile);
    expect(JSON.parse(fs.readFileSync(authFile, 'utf8')).auths).toEqual({ 'docker.io': auth('hub') });
    expect(fs.existsSync(e.primary)).toBe(false);
  });

  it('refuses to overwrite a malformed primary file', () => {
    const e = setup({ 'run/containers/auth.json': 'not json' });
    expect(() => setCredentials('quay.io', 'u', 'p', e.opts)).toThrow(/auth\.json: not valid JSON/);
    expect(fs.readFileSync(e.primary, 'utf8')).toBe('not json');
  });
});

describe('removeCredentials and removeAll', () => {
  it('logs out of one key, leaving the others', () => {
    const e = setup({
      'run/containers/auth.json': json({
        auths: { 'quay.io': auth('q'), 'quay.io/ns': auth('ns'), 'https://ghcr.io': auth('g'), 'x.io': auth('x') },
        other: true,
      }),
    });
    removeCredentials('quay.io', e.opts);
    removeCredentials('ghcr.io', e.opts);
    expect(JSON.parse(fs.readFileSync(e.primary, 'utf8'))).toEqual({
      auths: { 'quay.io/ns': auth('ns'), 'x.io': auth('x') },
      other: true,
    });
    const err = errorOf(() => removeCredentials('quay.io', e.opts));
    expect(err.kind).toBe('not-found');
    expect(err.message).toBe('not logged in to quay.io');
  });

  it('points at the file holding credentials it does not own', () => {
    const e = setup({ 'home/.docker/config.json': json({ auths: { 'quay.io': auth('d') } }) });
    const err = errorOf(() => removeCredentials('quay.io', e.opts));
    expect(err.hint).toContain(path.join(e.home, '.docker/config.json'));
    expect(err.hint).toContain('docker logout quay.io');
  });

  it('logs out of everything in the primary file only', () => {
    const e = setup({
      'run/containers/auth.json': json({ auths: { 'a.io': auth('a'), 'b.io': auth('b') }, keep: 1 }),
      'home/.docker/config.json': json({ auths: { 'c.io': auth('c') } }),
    });
    removeAll(e.opts);
    expect(JSON.parse(fs.readFileSync(e.primary, 'utf8'))).toEqual({ auths: {}, keep: 1 });
    expect(getCredentials('a.io', e.opts)).toBeUndefined();
    expect(getCredentials('c.io', e.opts)?.username).toBe('c');
    removeAll(setup().opts); // no file: nothing to do
  });
});

describe('credential helpers', () => {
  function withHelper(files: Record<string, string> = {}): Env & { log: string } {
    const e = setup(files);
    const bin = path.join(e.root, 'bin');
    const log = path.join(e.root, 'helper.log');
    writeTree(e.root, {
      'bin/docker-credential-fake': `#!/bin/sh
input=$(cat)
echo "$1 $input" >> "${log}"
case "$1" in
  get)
    if [ "$input" = "helper.io" ]; then echo '{"ServerURL":"helper.io","Username":"hu","Secret":"hs"}'; exit 0; fi
    if [ "$input" = "token.io" ]; then echo '{"ServerURL":"token.io","Username":"<token>","Secret":"tk"}'; exit 0; fi
    if [ "$input" = "https://index.docker.io/v1/" ]; then echo '{"Username":"hub","Secret":"hs"}'; exit 0; fi
    echo "credentials not found in native keychain"; exit 1;;
  store) exit 0;;
  erase) if [ "$input" = "helper.io" ]; then exit 0; fi; echo "credentials not found in native keychain"; exit 1;;
  list) echo '{"helper.io":"hu","other.io":"ou"}';;
esac
`,
    });
    fs.chmodSync(path.join(bin, 'docker-credential-fake'), 0o755);
    e.opts.env = { ...e.opts.env, PATH: `${bin}:/usr/bin:/bin` };
    return { ...e, log };
  }

  it('asks credHelpers and credsStore helpers with the host on stdin', () => {
    const e = withHelper({
      'run/containers/auth.json': json({ auths: {}, credHelpers: { 'helper.io': 'fake', 'token.io': 'fake', 'none.io': 'fake' } }),
      'home/.docker/config.json': json({ auths: { 'docker.io': {} }, credsStore: 'fake' }),
    });
    expect(getCredentials('helper.io/ns/repo', e.opts)).toEqual({ username: 'hu', password: 'hs' });
    expect(getCredentials('token.io', e.opts)).toEqual({ username: '', password: '', identityToken: 'tk' });
    expect(getCredentials('none.io', e.opts)).toBeUndefined();
    expect(getCredentials('docker.io', e.opts)).toEqual({ username: 'hub', password: 'hs' });
    expect(fs.readFileSync(e.log, 'utf8')).toContain('get helper.io\n');
  });

  it('uses registries.conf credential-helpers and stores through them', () => {
    const e = withHelper();
    const opts = { ...e.opts, credentialHelpers: ['fake', 'containers-auth.json'] };
    expect(getCredentials('helper.io', opts)?.username).toBe('hu');
    expect(setCredentials('helper.io', 'u', 'p', opts)).toBe('credential helper: fake');
    expect(fs.readFileSync(e.log, 'utf8')).toContain('store {"ServerURL":"helper.io","Username":"u","Secret":"p"}');
    expect(setCredentials('helper.io/ns', 'u', 'p', opts)).toBe(e.primary);
    removeCredentials('helper.io', opts);
    removeAll(opts);
    expect(fs.readFileSync(e.log, 'utf8')).toMatch(/erase helper\.io\n[\s\S]*list \n[\s\S]*erase other\.io/);
  });

  it('reports a missing helper program clearly', () => {
    const e = withHelper({ 'run/containers/auth.json': json({ auths: {}, credHelpers: { 'x.io': 'absent' } }) });
    const err = errorOf(() => getCredentials('x.io', e.opts));
    expect(err.kind).toBe('missing-tool');
    expect(err.message).toBe('credential helper docker-credential-absent not found on this host');
  });
});
