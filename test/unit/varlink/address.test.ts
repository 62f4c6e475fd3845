import { describe, expect, it } from 'vitest';
import { formatVarlinkAddress, parseVarlinkAddress, splitAddressAndMethod } from '../../../src/engine/varlink/address.js';
import { takeActivatedSockets } from '../../../src/engine/varlink/socket-activation.js';

describe('varlink addresses', () => {
  it('parses unix, abstract and tcp addresses', () => {
    expect(parseVarlinkAddress('unix:/run/selkie/io.podman')).toEqual({ kind: 'unix', path: '/run/selkie/io.podman' });
    expect(parseVarlinkAddress('unix:/tmp/x;mode=0666')).toEqual({ kind: 'unix', path: '/tmp/x', mode: 0o666 });
    expect(parseVarlinkAddress('unix:@abstract')).toEqual({ kind: 'unix', path: '\0abstract' });
    expect(parseVarlinkAddress('/tmp/plain.sock')).toEqual({ kind: 'unix', path: '/tmp/plain.sock' });
    expect(parseVarlinkAddress('tcp:127.0.0.1:8765')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8765 });
    expect(parseVarlinkAddress('tcp:[::1]:80')).toEqual({ kind: 'tcp', host: '::1', port: 80 });
    for (const a of ['unix:@abstract', 'tcp:[::1]:80', 'unix:/a/b']) expect(formatVarlinkAddress(parseVarlinkAddress(a))).toBe(a);
  });

  it('rejects bad addresses with a one-line reason', () => {
    expect(() => parseVarlinkAddress('http://x')).toThrow('invalid varlink address "http://x": unknown scheme');
    expect(() => parseVarlinkAddress('unix:')).toThrow(/socket path is empty/);
    expect(() => parseVarlinkAddress('unix:/x;owner=me')).toThrow(/unknown parameter "owner=me"/);
    expect(() => parseVarlinkAddress('tcp:host')).toThrow(/expected tcp:HOST:PORT/);
    expect(() => parseVarlinkAddress('tcp:h:70000')).toThrow(/out of range/);
  });

  it('splits ADDRESS/METHOD as the varlink tool takes it', () => {
    expect(splitAddressAndMethod('unix:/run/selkie/io.podman/io.podman.GetVersion')).toEqual({ address: 'unix:/run/selkie/io.podman', method: 'io.podman.GetVersion' });
    expect(splitAddressAndMethod('tcp:127.0.0.1:1/org.varlink.service.GetInfo')).toEqual({ address: 'tcp:127.0.0.1:1', method: 'org.varlink.service.GetInfo' });
    expect(() => splitAddressAndMethod('unix:/run/x')).toThrow(/expected ADDRESS\/INTERFACE.METHOD/);
  });
});

describe('socket activation', () => {
  it('takes the fds when LISTEN_PID is this process, and clears the variables', () => {
    const env: NodeJS.ProcessEnv = { LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'varlink:other', KEEP: 'x' };
    expect(takeActivatedSockets(env, 42)).toEqual([{ fd: 3, name: 'varlink' }, { fd: 4, name: 'other' }]);
    expect(env).toEqual({ KEEP: 'x' });
  });

  it('ignores variables meant for another process or malformed', () => {
    expect(takeActivatedSockets({ LISTEN_PID: '41', LISTEN_FDS: '1' }, 42)).toEqual([]);
    expect(takeActivatedSockets({ LISTEN_PID: '42', LISTEN_FDS: 'x' }, 42)).toEqual([]);
    expect(takeActivatedSockets({ LISTEN_FDS: '1' }, 42)).toEqual([]);
    expect(takeActivatedSockets({ LISTEN_PID: '42', LISTEN_FDS: '1' }, 42)).toEqual([{ fd: 3, name: 'unknown' }]);
  });
});
