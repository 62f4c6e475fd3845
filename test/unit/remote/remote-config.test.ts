/** Remote URLs, the ssh command line, the connections file and which engine a command uses. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addConnection, chooseRemote, readConnections, removeConnection, setDefaultConnection } from '../../../src/engine/remote/connections.js';
import { parseRemoteUrl } from '../../../src/engine/remote/remote-target.js';
import { sshArgs, sshLabel } from '../../../src/engine/remote/ssh-stream.js';

describe('remote URLs', () => {
  it('parses unix and ssh URLs', () => {
    expect(parseRemoteUrl('unix:///run/selkie/io.podman')).toEqual({ kind: 'unix', path: '/run/selkie/io.podman' });
    expect(parseRemoteUrl('unix:/tmp/s.sock')).toEqual({ kind: 'unix', path: '/tmp/s.sock' });
    expect(parseRemoteUrl('ssh://root@10.0.0.1:2222/run/selkie/io.podman', '/k')).toEqual({ kind: 'ssh', user: 'root', host: '10.0.0.1', port: 2222, socketPath: '/run/selkie/io.podman', identity: '/k' });
    expect(parseRemoteUrl('ssh://host')).toEqual({ kind: 'ssh', user: undefined, host: 'host', port: undefined, socketPath: undefined, identity: undefined });
    expect(parseRemoteUrl('ssh://u@[::1]:22')).toMatchObject({ host: '::1', port: 22 });
  });

  it('refuses what it cannot reach, with a one-line usage error', () => {
    expect(() => parseRemoteUrl('ftp://x')).toThrow(/invalid remote URL "ftp:\/\/x": unknown scheme/);
    expect(() => parseRemoteUrl('unix://relative')).toThrow(/must be absolute/);
    expect(() => parseRemoteUrl('ssh://h:99999')).toThrow(/out of range/);
    expect(() => parseRemoteUrl('ssh://')).toThrow(/expected ssh:/);
  });

  it('builds a non-interactive ssh command that runs the bridge', () => {
    const t = { user: 'root', host: '127.0.0.1', port: 2200, socketPath: '/run/my sock', identity: '/k' };
    const args = sshArgs(t, { SELKIE_SSH_KNOWN_HOSTS: '/kh' });
    expect(args).toContain('BatchMode=yes');
    expect(args).toContain('UserKnownHostsFile=/kh');
    expect(args.slice(-3)).toEqual(['--', '127.0.0.1', "selkie varlink bridge 'unix:/run/my sock'"]);
    expect(args.join(' ')).toContain('-i /k -o IdentitiesOnly=yes -p 2200 -l root');
    expect(sshArgs({ host: 'h' }, { SELKIE_REMOTE_COMMAND: '/opt/selkie' }).at(-1)).toBe('/opt/selkie varlink bridge');
    expect(sshLabel(t)).toBe('ssh://root@127.0.0.1:2200/run/my sock');
  });
});

describe('named connections', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-conn-'));
  const file = path.join(dir, 'selkie', 'connections.json');
  afterEach(() => fs.rmSync(path.join(dir, 'selkie'), { recursive: true, force: true }));

  it('adds, makes the first the default, switches the default, removes', () => {
    addConnection('a', { url: 'unix:///a.sock' }, false, file);
    addConnection('b', { url: 'ssh://u@h', identity: '/k' }, false, file);
    expect(readConnections(file)).toEqual({ default: 'a', connections: { a: { url: 'unix:///a.sock' }, b: { url: 'ssh://u@h', identity: '/k' } } });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    setDefaultConnection('b', file);
    expect(readConnections(file).default).toBe('b');
    removeConnection('b', file);
    expect(readConnections(file)).toEqual({ default: 'a', connections: { a: { url: 'unix:///a.sock' } } });
    expect(() => removeConnection('b', file)).toThrow(/connection "b" not found/);
    expect(() => addConnection('bad name', { url: 'unix:///x' }, false, file)).toThrow(/invalid connection name/);
    expect(() => addConnection('x', { url: 'http://x' }, false, file)).toThrow(/unknown scheme/);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['connections.json']);
  });

  it('a broken file is an error naming it', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{nope');
    expect(() => readConnections(file)).toThrow(file);
  });

  it('chooses --url, then --connection/CONTAINER_CONNECTION, then CONTAINER_HOST, then --remote; else local', () => {
    const env = { XDG_CONFIG_HOME: dir };
    addConnection('a', { url: 'unix:///a.sock', identity: '/ka' }, false, file);
    expect(chooseRemote({}, env)).toBeUndefined();
    expect(chooseRemote({ url: 'unix:///u', identity: '/i' }, env)).toEqual({ url: 'unix:///u', identity: '/i' });
    expect(chooseRemote({ url: 'ssh://h' }, { ...env, CONTAINER_SSHKEY: '/env-key' })).toEqual({ url: 'ssh://h', identity: '/env-key' });
    expect(chooseRemote({}, { ...env, CONTAINER_HOST: 'unix:///h' })).toEqual({ url: 'unix:///h', identity: undefined });
    expect(() => chooseRemote({ connection: 'zz' }, env)).toThrow(/connection "zz" not found/);
  });
});

describe('chooseRemote with the connections file', () => {
  it('--connection and --remote read the file under XDG_CONFIG_HOME', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-conn2-'));
    try {
      const env = { XDG_CONFIG_HOME: dir };
      addConnection('a', { url: 'unix:///a.sock', identity: '/ka' }, false, path.join(dir, 'selkie', 'connections.json'));
      expect(chooseRemote({ connection: 'a' }, env)).toEqual({ url: 'unix:///a.sock', identity: '/ka' });
      expect(chooseRemote({}, { ...env, CONTAINER_CONNECTION: 'a' })).toEqual({ url: 'unix:///a.sock', identity: '/ka' });
      expect(chooseRemote({ remote: true, identity: '/other' }, env)).toEqual({ url: 'unix:///a.sock', identity: '/other' });
      expect(() => chooseRemote({ remote: true }, { XDG_CONFIG_HOME: path.join(dir, 'empty') })).toThrow(/no default connection/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
