/**
 * Bridge networking for root: the default network, published ports answering from the host, user
 * networks with name resolution (aardvark-dns), container:NAME, IPAM under parallel runs, and bad
 * input. Networks, subnets and bridges are unique to this file; everything is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
const tag = (process.pid % 200) + 20; // 10.212.TAG.0/24 etc.: unique per concurrently running file
const netA = `sktest-a-${process.pid}`;
const netB = `sktest-b-${process.pid}`;
const bridgeA = `skta${process.pid % 100000}`;
const subnetA = `10.212.${tag}.0/24`;

beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '--change', 'EXPOSE 80/tcp', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
  const c = await s.run(['network', 'create', '--subnet', subnetA, '--interface-name', bridgeA, '--label', 'test=networking', netA]);
  expect(c.stderr).toBe('');
  expect(c.stdout).toBe(`${netA}\n`);
}, 60_000);

afterAll(async () => {
  const ids = (await s.run(['ps', '-a', '-q'])).stdout.split('\n').filter(Boolean);
  if (ids.length) await s.run(['rm', '-f', ...ids]); // containers first: their cleanup releases ports, namespaces and leases
  for (const n of [netA, netB]) await s.run(['network', 'rm', '-f', n]);
  const left = fs.existsSync(`/sys/class/net/${bridgeA}`);
  await s.cleanup();
  expect(left).toBe(false);
}, 60_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });

/** GET with a few retries while the server starts (fixed 1 s delay; 0 would mean curl's exponential backoff). */
const curl = (url: string) => spawnSync('curl', ['-s', '-m', '5', '--retry', '5', '--retry-connrefused', '--retry-delay', '1', url], { encoding: 'utf8' }).stdout;
const curlOnce = (url: string) => spawnSync('curl', ['-s', '-m', '3', url], { encoding: 'utf8' }).stdout;
const httpd = (text: string) => ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`];
const netnsFiles = () => (fs.existsSync(path.join(s.runroot, 'netns')) ? fs.readdirSync(path.join(s.runroot, 'netns')) : []);
const ipOf = async (name: string) => (await s.run(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', name])).stdout.trim();

describe('default bridge network', () => {
  it('gives a container eth0 on 10.77.0.0/16 with a default route and its address in /etc/hosts, and tears it all down', async () => {
    const r = await s.run(['run', '--rm', '--hostname', 'h1', 'busybox', 'sh', '-c', 'ip -4 addr show eth0; ip route; cat /etc/hosts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ip = /inet (10\.77\.\d+\.\d+)\/16/.exec(r.stdout)?.[1];
    expect(ip).toBeDefined();
    expect(r.stdout).toMatch(/default via 10\.77\.0\.1 dev eth0/);
    expect(r.stdout).toContain(`${ip}\th1`);
    expect(netnsFiles()).toEqual([]);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('--network none and host keep their meaning', async () => {
    const none = await s.run(['run', '--rm', '--network', 'none', 'busybox', 'ip', '-o', 'link']);
    expect(none.stdout).not.toMatch(/eth0/);
    const host = await s.run(['run', '--rm', '--network', 'host', 'busybox', 'cat', '/proc/net/dev']);
    const hostIfaces = fs.readdirSync('/sys/class/net').filter((i) => i !== 'lo');
    expect(hostIfaces.some((i) => host.stdout.includes(`${i}:`))).toBe(true);
  });
});

describe('published ports', () => {
  it('a published port answers from the host on 127.0.0.1 and on the container IP; port, ps and inspect show it', async () => {
    const hp = await freePort();
    const id = (await s.run(['run', '-d', '--name', 'web', '-p', `${hp}:80`, 'busybox', ...httpd('hello-web')])).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(curl(`http://127.0.0.1:${hp}/`)).toBe('hello-web\n');
    const ip = await ipOf('web');
    expect(ip).toMatch(/^10\.77\./);
    expect(curl(`http://${ip}/`)).toBe('hello-web\n');
    // hairpin: the container itself and a neighbour reach the published port through a host address
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 10.77.0.1 ${hp} | tail -1`;
    expect((await s.run(['exec', 'web', 'sh', '-c', get])).stdout).toBe('hello-web\n');
    expect((await s.run(['run', '--rm', 'busybox', 'sh', '-c', get])).stdout).toBe('hello-web\n');
    expect((await s.run(['port', 'web'])).stdout).toBe(`80/tcp -> 0.0.0.0:${hp}\n`);
    expect((await s.run(['port', 'web', '80'])).stdout).toBe(`0.0.0.0:${hp}\n`);
    expect((await s.run(['ps', '--format', '{{.Ports}}'])).stdout).toContain(`0.0.0.0:${hp}->80/tcp`);
    const inspect = JSON.parse((await s.run(['inspect', 'web'])).stdout)[0];
    expect(inspect.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: String(hp) }] });
    expect(inspect.NetworkSettings.Ports).toEqual({ '80/tcp': [{ HostIp: '', HostPort: String(hp) }] });
    expect(inspect.NetworkSettings.Networks.selkie.IPAddress).toBe(ip);
    expect(inspect.NetworkSettings.Networks.selkie.Gateway).toBe('10.77.0.1');
    expect(inspect.NetworkSettings.MacAddress).toMatch(/^02:42:0a:4d:/);

    // the same host port again is a clear error, and nothing is left behind
    const again = await s.run(['run', '--rm', '-p', `${hp}:80`, 'busybox', 'true']);
    expect(again.code).toBe(125);
    expect(again.stderr).toMatch(new RegExp(`host port ${hp}/tcp is already published`));
    expect((await s.run(['ps', '-a', '-q'])).stdout.trim().split('\n')).toHaveLength(1);

    expect((await s.run(['rm', '-f', 'web'])).code).toBe(0);
    expect(curlOnce(`http://127.0.0.1:${hp}/`)).toBe('');
    expect(netnsFiles()).toEqual([]);
  }, 60_000);

  it('-P publishes the image EXPOSE ports on random host ports, bound to a host IP when given', async () => {
    await s.run(['run', '-d', '--name', 'webp', '-P', 'busybox', ...httpd('hello-random')]);
    const out = (await s.run(['port', 'webp', '80/tcp'])).stdout.trim();
    const port = Number(/^0\.0\.0\.0:(\d+)$/.exec(out)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(curl(`http://127.0.0.1:${port}/`)).toBe('hello-random\n');
    await s.run(['rm', '-f', 'webp']);
    await s.run(['run', '-d', '--name', 'weblo', '-p', '127.0.0.1::80', 'busybox', ...httpd('hello-lo')]);
    const lo = (await s.run(['port', 'weblo'])).stdout.trim();
    expect(lo).toMatch(/^80\/tcp -> 127\.0\.0\.1:\d+$/);
    expect(curl(`http://${lo.split(' -> ')[1]}/`)).toBe('hello-lo\n');
    await s.run(['rm', '-f', 'weblo']);
  }, 60_000);
});

describe('user networks', () => {
  it('network ls, inspect and exists show the network podman-style', async () => {
    const ls = await s.run(['network', 'ls', '--filter', `name=${netA}`, '--format', '{{.Name}} {{.Driver}} {{.Subnets}}']);
    expect(ls.stdout).toBe(`${netA} bridge ${subnetA}\n`);
    expect((await s.run(['network', 'ls', '-q'])).stdout).toContain('selkie\n');
    const [n] = JSON.parse((await s.run(['network', 'inspect', netA])).stdout);
    expect(n).toMatchObject({ name: netA, driver: 'bridge', network_interface: bridgeA, subnets: [{ subnet: subnetA, gateway: subnetA.replace(/0\/24$/, '1') }], dns_enabled: true, internal: false, labels: { test: 'networking' } });
    expect((await s.run(['network', 'exists', netA])).code).toBe(0);
    expect((await s.run(['network', 'exists', 'no-such-net'])).code).toBe(1);
  });

  it('two containers on a user network reach each other by name', async () => {
    await s.run(['run', '-d', '--name', 'srv', '--network', netA, 'busybox', ...httpd('hello-by-name')]);
    const ip = await ipOf('srv');
    expect(ip.startsWith(subnetA.replace(/0\/24$/, ''))).toBe(true);
    const r = await s.run(['run', '--rm', '--network', netA, 'busybox', 'sh', '-c', `nslookup srv && for i in 1 2 3 4 5 6 7 8 9 10; do out=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc srv 80) && [ -n "$out" ] && echo "$out" && break; sleep 0.5; done`]);
    expect(r.stdout).toContain(`Address: ${ip}`);
    expect(r.stdout).toContain('hello-by-name');
    expect(r.code).toBe(0);
  }, 60_000);

  it('--network container:NAME shares the other container namespace', async () => {
    const ip = await ipOf('srv');
    const r = await s.run(['run', '--rm', '--network', 'container:srv', 'busybox', 'sh', '-c', 'ip -4 -o addr show eth0; wget -q -O- http://127.0.0.1/']);
    expect(r.stdout).toContain(`inet ${ip}/24`);
    expect(r.stdout).toContain('hello-by-name');
  });

  it('connect and disconnect a running container', async () => {
    await s.run(['run', '-d', '--name', 'multi', 'busybox', 'sleep', '300']);
    expect((await s.run(['network', 'connect', netA, 'multi'])).code).toBe(0);
    const addrs = (await s.run(['exec', 'multi', 'ip', '-4', '-o', 'addr'])).stdout;
    expect(addrs).toMatch(/eth0 +inet 10\.77\./);
    expect(addrs).toMatch(new RegExp(`eth1 +inet ${subnetA.replace(/\.0\/24$/, '').replace(/\./g, '\\.')}\\.`));
    const nets = JSON.parse((await s.run(['inspect', '-f', '{{json .NetworkSettings.Networks}}', 'multi'])).stdout);
    expect(Object.keys(nets).sort()).toEqual([netA, 'selkie'].sort());
    expect((await s.run(['network', 'rm', netA])).code).toBe(125); // in use
    expect((await s.run(['network', 'disconnect', netA, 'multi'])).code).toBe(0);
    expect((await s.run(['exec', 'multi', 'ip', '-4', '-o', 'addr'])).stdout).not.toMatch(/eth1/);
    await s.run(['rm', '-f', 'multi']);
  }, 60_000);

  it('10 parallel run -d on one network get distinct addresses, all released on rm', async () => {
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => s.run(['run', '-d', '--name', `par${i}`, '--network', netA, 'busybox', 'sleep', '300'], { timeoutMs: 120_000 })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const ips = await Promise.all(runs.map((_, i) => ipOf(`par${i}`)));
    expect(new Set(ips).size).toBe(10);
    for (const ip of ips) expect(ip.startsWith(subnetA.replace(/0\/24$/, ''))).toBe(true);
    expect((await s.run(['rm', '-f', ...runs.map((_, i) => `par${i}`)])).code).toBe(0);
    expect(netnsFiles().length).toBe(1); // srv's
  }, 180_000);
});

describe('start failures', () => {
  it('a host port that a container of another selkie root publishes: clear error at start, no namespace or lease left, the other keeps its port', async () => {
    const other = makeSelkieEnv();
    try {
      expect((await other.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() })).code).toBe(0);
      const hp = await freePort();
      expect((await s.run(['run', '-d', '--name', 'holder', '-p', `${hp}:80`, 'busybox', ...httpd('held')])).code).toBe(0);
      const r = await other.run(['run', '--rm', '-p', `${hp}:80`, 'busybox', 'true']);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(new RegExp(`host port 0\\.0\\.0\\.0:${hp}/tcp is already published by another container`));
      expect((await other.run(['ps', '-a', '-q'])).stdout).toBe('');
      const ns = path.join(other.runroot, 'netns');
      expect(fs.existsSync(ns) ? fs.readdirSync(ns) : []).toEqual([]);
      expect(curl(`http://127.0.0.1:${hp}/`)).toBe('held\n');
      expect((await s.run(['rm', '-f', 'holder'])).code).toBe(0);
    } finally {
      await other.cleanup();
    }
  }, 120_000);
});

describe('bad input', () => {
  it('invalid -p, unknown network, host port in use, overlapping subnet: exit 125, one line, nothing left behind', async () => {
    const before = (await s.run(['ps', '-a', '-q'])).stdout;
    const badP = await s.run(['run', '--rm', '-p', '80:80:80:80', 'busybox', 'true']);
    expect(badP.code).toBe(125);
    expect(badP.stderr).toMatch(/invalid -p 80:80:80:80/);
    const unknown = await s.run(['run', '--rm', '--network', 'no-such-network', 'busybox', 'true']);
    expect(unknown.code).toBe(125);
    expect(unknown.stderr).toMatch(/network "no-such-network" not found/);

    const srv = net.createServer();
    const busy = await new Promise<number>((resolve) => srv.listen(0, '0.0.0.0', () => resolve((srv.address() as net.AddressInfo).port)));
    try {
      const inUse = await s.run(['run', '-d', '-p', `${busy}:80`, 'busybox', 'true']);
      expect(inUse.code).toBe(125);
      expect(inUse.stderr).toMatch(new RegExp(`host port 0\\.0\\.0\\.0:${busy}/tcp is already in use`));
    } finally {
      srv.close();
    }
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe(before);

    const nets = (await s.run(['network', 'ls', '-q'])).stdout;
    const overlap = await s.run(['network', 'create', '--subnet', subnetA.replace(/\/24$/, '/25'), netB]);
    expect(overlap.code).toBe(125);
    expect(overlap.stderr).toMatch(/overlaps with the subnet .* of network/);
    const badSubnet = await s.run(['network', 'create', '--subnet', '10.1.2.3/16', netB]);
    expect(badSubnet.code).toBe(125);
    expect(badSubnet.stderr).toMatch(/host bits/);
    expect((await s.run(['network', 'create', netA])).stderr).toMatch(/already used/);
    expect((await s.run(['network', 'ls', '-q'])).stdout).toBe(nets);
    expect((await s.run(['network', 'rm', 'selkie'])).code).toBe(125);
  }, 60_000);
});
