import { describe, expect, it } from 'vitest';
import { exposedPorts, parsePublish, portBindings, portsText } from '../../../../src/engine/network/port-mappings.js';
import { isSelkieError } from '../../../../src/engine/errors.js';

const fails = (spec: string) => {
  try {
    parsePublish(spec);
  } catch (e) {
    expect(isSelkieError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`-p ${spec} was accepted`);
};

describe('-p/--publish parsing', () => {
  it('parses container port, host:container, ip:host:container and protocols', () => {
    expect(parsePublish('80')).toEqual([{ hostIp: '', hostPort: 0, containerPort: 80, protocol: 'tcp' }]);
    expect(parsePublish('8080:80')).toEqual([{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
    expect(parsePublish('127.0.0.1:8080:80/udp')).toEqual([{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'udp' }]);
    expect(parsePublish('127.0.0.1::80')).toEqual([{ hostIp: '127.0.0.1', hostPort: 0, containerPort: 80, protocol: 'tcp' }]);
    expect(parsePublish('0.0.0.0:9000:90/TCP')).toEqual([{ hostIp: '', hostPort: 9000, containerPort: 90, protocol: 'tcp' }]);
  });

  it('expands ranges pairwise and random-port ranges', () => {
    expect(parsePublish('8000-8002:80-82').map((p) => [p.hostPort, p.containerPort])).toEqual([
      [8000, 80],
      [8001, 81],
      [8002, 82],
    ]);
    expect(parsePublish('5000-5001').map((p) => [p.hostPort, p.containerPort])).toEqual([
      [0, 5000],
      [0, 5001],
    ]);
  });

  it('rejects bad syntax with a message naming the flag', () => {
    expect(fails('80x')).toMatch(/invalid port "80x"/);
    expect(fails('8080:80/sctp')).toMatch(/protocol "sctp"/);
    expect(fails('0:80')).toMatch(/port range/);
    expect(fails('70000:80')).toMatch(/port range/);
    expect(fails('8000-8001:80')).toMatch(/differ in length/);
    expect(fails('300.1.1.1:80:80')).toMatch(/host IP/);
    expect(fails('a:b:c:d')).toMatch(/invalid -p/);
    expect(fails('')).toMatch(/invalid -p/);
  });

  it('reads EXPOSE keys and prints ps / inspect forms', () => {
    expect(exposedPorts({ '80/tcp': {}, '53/udp': {}, '7000-7001': {} })).toEqual([
      { port: 80, protocol: 'tcp' },
      { port: 53, protocol: 'udp' },
      { port: 7000, protocol: 'tcp' },
      { port: 7001, protocol: 'tcp' },
    ]);
    const ports = [...parsePublish('8080:80'), ...parsePublish('127.0.0.1:53:53/udp')];
    expect(portsText(ports)).toBe('0.0.0.0:8080->80/tcp, 127.0.0.1:53->53/udp');
    expect(portBindings(ports)).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '53' }] });
  });
});
