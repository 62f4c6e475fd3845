/**
 * The varlink issue's scenarios, on a private storage root under /var/tmp (removed at the end):
 *
 *   varlink GetVersion (socket-activated)   the service started by systemd-socket-activate on its
 *                                           first connection; timed: `selkie varlink call …GetVersion`
 *                                           (a whole client process); printed under the row, measured
 *                                           in this process on the warm service: the median round trip
 *                                           of 1,000 sequential calls, and 1,000 calls over 10 parallel
 *                                           connections.
 *   ps -a over --url (100 containers)       `selkie --url unix://… ps -a` against the local `ps -a`
 *                                           (the floor) on the same root with 100 created containers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { busyboxRootfsTar } from '../scripts/busybox-rootfs.mjs';
import { VarlinkClient } from '../src/engine/varlink/client.js';
import { onCleanup, runChecked } from './cleanup.js';
import type { Scenario } from './scenarios.js';

export function varlinkScenarios(selkie: string): Scenario[] {
  const dir = path.join('/var/tmp', `selkie-bench-varlink-${process.pid}`);
  const roots = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run')];
  const s = [selkie, ...roots];
  const activatedSock = path.join(dir, 'activated.sock');
  const serviceSock = path.join(dir, 'service.sock');
  const services: ChildProcess[] = [];

  let prepared: Promise<void> | undefined;
  const prepare = () =>
    (prepared ??= (async () => {
      onCleanup({
        name: 'varlink scenarios: services, containers and storage root',
        sync: () => {
          for (const c of services) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
          spawnSync(s[0]!, [...s.slice(1), 'rm', '-f', '-a'], { stdio: 'ignore' });
          const points = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dir}/`));
          for (const m of points.sort((a, b) => b.length - a.length)) spawnSync('umount', [m], { stdio: 'ignore' });
          fs.rmSync(dir, { recursive: true, force: true });
        },
      });
      fs.mkdirSync(dir, { recursive: true });
      runChecked([...s, 'import', '-q', '-', 'localhost/busybox'], process.env, [0], busyboxRootfsTar());
      // Socket activation: systemd-socket-activate listens and starts the service on the first connection.
      services.push(spawn('systemd-socket-activate', ['-l', activatedSock, '--', ...s, 'system', 'service', '--varlink', '--timeout', '0'], { stdio: 'ignore' }));
      services.push(spawn(s[0]!, [...s.slice(1), 'system', 'service', '--varlink', '--timeout', '0', `unix:${serviceSock}`], { stdio: 'ignore' }));
      await Promise.all([untilConnectable(activatedSock), untilConnectable(serviceSock)]);
    })());

  const getVersion: Scenario = {
    name: 'varlink GetVersion (socket-activated)',
    target: 'in-process round trip under 2 ms median; 1000 calls over 10 connections under 2 s',
    selkie: [...s, 'varlink', 'call', `unix:${activatedSock}/io.podman.GetVersion`],
    floor: [process.execPath, '-e', '0'],
    floorName: 'node -e 0',
    setup: async () => {
      await prepare();
    },
    after: async () => {
      const one = await VarlinkClient.connect(`unix:${activatedSock}`);
      for (let i = 0; i < 50; i++) await one.call('io.podman.GetVersion');
      const times: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const t = process.hrtime.bigint();
        await one.call('io.podman.GetVersion');
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      one.close();
      times.sort((a, b) => a - b);
      const clients = await Promise.all(Array.from({ length: 10 }, () => VarlinkClient.connect(`unix:${activatedSock}`)));
      const t0 = process.hrtime.bigint();
      await Promise.all(clients.map(async (c) => {
        for (let i = 0; i < 100; i++) await c.call('io.podman.GetVersion');
      }));
      const parallelMs = Number(process.hrtime.bigint() - t0) / 1e6;
      for (const c of clients) c.close();
      return [
        `GetVersion round trip (warm, 1 connection, 1000 calls): median ${times[500]!.toFixed(3)} ms, p90 ${times[900]!.toFixed(3)} ms (target < 2 ms)`,
        `1000 GetVersion calls over 10 parallel connections: ${parallelMs.toFixed(0)} ms (target < 2000 ms)`,
      ];
    },
  };

  const ps: Scenario = {
    name: 'ps -a over --url (100 containers)',
    target: 'selkie --url at most 2x the local ps -a (the floor)',
    selkie: [selkie, '--url', `unix://${serviceSock}`, 'ps', '-a'],
    floor: [...s, 'ps', '-a'],
    floorName: 'local ps -a',
    setup: async () => {
      await prepare();
      const have = runChecked([...s, 'ps', '-a', '-q']).split('\n').filter(Boolean).length;
      for (let i = have; i < 100; i++) runChecked([...s, 'create', '--network', 'none', '--name', `vl-${i}`, 'localhost/busybox', 'sleep', '1000']);
    },
  };
  return [getVersion, ps];
}

async function untilConnectable(sock: string): Promise<void> {
  for (const until = Date.now() + 15_000; ; ) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ path: sock });
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${sock}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
