import { describe, expect, it } from 'vitest';
import { networkElements, portElements, tableScript } from '../../../../src/engine/network/nft-rules.js';
import { configFileText } from '../../../../src/engine/network/aardvark.js';
import { parsePublish } from '../../../../src/engine/network/port-mappings.js';

describe('nft rule text', () => {
  it('the table script only adds and flushes chains, so set and map elements survive a re-run', () => {
    const script = tableScript();
    expect(script).not.toMatch(/delete table|flush table|flush set|flush map/);
    expect(script).toMatch(/add map ip selkie ports_any \{ type inet_proto \. inet_service : ipv4_addr \. inet_service; \}/);
    expect(script).toMatch(/add rule ip selkie output .*fib daddr type local dnat ip to/);
    expect(script).toMatch(/ct status dnat ip saddr 127\.0\.0\.0\/8 masquerade/);
  });

  it('per-container port elements: create (conflict on a taken port) and delete by key', () => {
    const ports = [...parsePublish('8080:80'), ...parsePublish('127.0.0.1:5353:53/udp')];
    expect(portElements(ports, '10.77.0.9', 'create').split('\n')).toEqual([
      'create element ip selkie ports_any { tcp . 8080 : 10.77.0.9 . 80 }',
      'create element ip selkie ports_ip { 127.0.0.1 . udp . 5353 : 10.77.0.9 . 53 }',
    ]);
    expect(portElements(ports, '', 'delete').split('\n')).toEqual(['delete element ip selkie ports_any { tcp . 8080 }', 'delete element ip selkie ports_ip { 127.0.0.1 . udp . 5353 }']);
  });

  it('networks are masqueraded, internal ones isolated', () => {
    expect(networkElements({ subnet: '10.90.0.0/24', bridge: 'br1', internal: false }, 'add')).toBe('add element ip selkie masq_nets { 10.90.0.0/24 }');
    expect(networkElements({ subnet: '10.90.0.0/24', bridge: 'br1', internal: true }, 'delete')).toBe('delete element ip selkie internal_bridges { "br1" }');
  });
});

describe('aardvark-dns config file', () => {
  it('gateway first, then ID, IPv4, empty IPv6 and the names, one container per line', () => {
    expect(configFileText('10.90.0.1', [{ containerId: 'abc', ip: '10.90.0.2', names: ['web', 'alias1', 'abc'] }, { containerId: 'def', ip: '10.90.0.3', names: ['db'] }])).toBe(
      '10.90.0.1\nabc 10.90.0.2  web,alias1,abc\ndef 10.90.0.3  db\n',
    );
  });
});
