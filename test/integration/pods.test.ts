import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = await busyboxEnv();
});
afterAll(async () => {
  const pods = s.runSync(['pod', 'ps', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean);
  if (pods.length) s.runSync(['pod', 'rm', '-f', ...pods]);
  await s.cleanup();
});

const ok = async (args: string[]) => {
  const r = await s.run(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout.trim();
};

/** Retries `args` until it succeeds (a server in another container may still be starting). */
async function eventually(args: string[], tries = 30): Promise<string> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    const r = await s.run(args);
    if (r.code === 0) return r.stdout;
    last = r.stderr;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`${args.join(' ')} kept failing: ${last}`);
}

describe('pods', () => {
  it('share network, hostname and IPC between their containers', async () => {
    const id = await ok(['pod', 'create', '--name', 'seals', '--network', 'none']);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await ok(['run', '-d', '--pod', 'seals', '--name', 'web', 'busybox', 'httpd', '-f', '-p', '127.0.0.1:8080', '-h', '/etc']);
    await ok(['run', '-d', '--pod', 'seals', '--name', 'client', 'busybox', 'sleep', '1000']);
    // The client reaches the web server on localhost: one network namespace.
    expect(await eventually(['exec', 'client', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8080/hostname'])).toBe('seals\n');
    expect(await ok(['exec', 'client', 'hostname'])).toBe('seals');
    const ns = async (c: string, t: string) => ok(['exec', c, 'readlink', `/proc/self/ns/${t}`]);
    for (const t of ['net', 'ipc', 'uts']) expect(await ns('web', t)).toBe(await ns('client', t));
    // Not shared by default: the PID namespace.
    expect(await ns('web', 'pid')).not.toBe(await ns('client', 'pid'));
    expect(await ok(['exec', 'client', 'ps', '-o', 'comm'])).not.toContain('httpd');
  });

  it('lists pods and their containers, and shows membership in ps', async () => {
    const line = (await ok(['pod', 'ps', '--ctr-names'])).split('\n');
    expect(line[0]).toMatch(/^POD ID\s+NAME\s+STATUS\s+CREATED\s+INFRA ID\s+NAMES$/);
    expect(line[1]).toMatch(/seals\s+Running\s+.*-infra,web,client$/);
    const pods = JSON.parse(await ok(['pod', 'ps', '--format', 'json']));
    expect(pods).toHaveLength(1);
    expect(pods[0].Containers.map((c: { Names: string }) => c.Names)).toEqual([expect.stringMatching(/-infra$/), 'web', 'client']);
    expect(await ok(['pod', 'ps', '--format', '{{.Name}} {{.NumberOfContainers}} {{.Status}}'])).toBe('seals 3 Running');
    expect(await ok(['pod', 'ps', '-q', '--filter', 'name=nope'])).toBe('');
    expect(await ok(['pod', 'ps', '-q', '--filter', 'ctr-names=web'])).toHaveLength(12);
    // As in Podman, the infra container is listed too.
    expect((await ok(['ps', '--pod', '--filter', 'pod=seals', '--format', '{{.Names}} {{.PodName}}'])).split('\n')).toEqual([
      'client seals',
      'web seals',
      expect.stringMatching(/^[0-9a-f]{12}-infra seals$/),
    ]);
    const inspect = JSON.parse(await ok(['pod', 'inspect', 'seals']));
    expect(inspect).toMatchObject({ Name: 'seals', State: 'Running', NumContainers: 3, SharedNamespaces: ['net', 'ipc', 'uts'], Hostname: 'seals' });
    expect(inspect.InfraContainerId).toBe(inspect.Containers[0].Id);
    expect(await ok(['pod', 'exists', 'seals'])).toBe('');
    expect((await s.run(['pod', 'exists', 'walruses'])).code).toBe(1);
  });

  it('shows every container process in pod top and pod stats', async () => {
    const top = (await ok(['pod', 'top', 'seals', 'pid', 'args'])).split('\n');
    expect(top[0]).toMatch(/^PID\s+COMMAND$/);
    const cmds = top.slice(1).map((l) => l.replace(/^\s*\d+\s+/, ''));
    expect(cmds).toEqual(expect.arrayContaining(['/catatonit -P', 'httpd -f -p 127.0.0.1:8080 -h /etc', 'sleep 1000']));
    const stats = (await ok(['pod', 'stats', '--no-stream', '--format', '{{.Name}}'])).split('\n').sort();
    expect(stats).toHaveLength(3);
    expect(stats).toEqual(expect.arrayContaining(['client', 'web', expect.stringMatching(/^[0-9a-f]{12}-infra$/)]));
  });

  it('refuses to remove a running pod or its infra container, and joining a pod that does not exist', async () => {
    const rm = await s.run(['pod', 'rm', 'seals']);
    expect(rm.code).toBe(125);
    expect(rm.stderr).toMatch(/cannot remove pod seals: it has running containers/);
    const infra = JSON.parse(await ok(['pod', 'inspect', 'seals'])).InfraContainerId as string;
    const rmInfra = await s.run(['rm', '-f', infra]);
    expect(rmInfra.code).toBe(125);
    expect(rmInfra.stderr).toMatch(/is the infra container of pod seals/);
    const join = await s.run(['run', '--rm', '--pod', 'walruses', 'busybox', 'true']);
    expect(join.code).toBe(125);
    expect(join.stderr).toMatch(/no such pod.*walruses|pod.*walruses.*not found/i);
    const ports = await s.run(['create', '--pod', 'seals', '-p', '9000:80', 'busybox', 'true']);
    expect(ports.code).toBe(125);
    expect(ports.stderr).toMatch(/shares the pod's network/);
  });

  it('stops, starts, pauses and kills all containers together', async () => {
    await ok(['pod', 'stop', '-t', '1', 'seals']);
    expect(await ok(['pod', 'ps', '--format', '{{.Status}}'])).toBe('Exited');
    expect(await ok(['ps', '-a', '--filter', 'pod=seals', '--format', '{{.State}}'])).toBe('exited\nexited\nexited');
    await ok(['pod', 'start', 'seals']);
    expect(await ok(['pod', 'ps', '--format', '{{.Status}}'])).toBe('Running');
    expect(await eventually(['exec', 'client', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8080/hostname'])).toBe('seals\n');
    await ok(['pod', 'pause', 'seals']);
    expect(await ok(['pod', 'ps', '--format', '{{.Status}}'])).toBe('Paused');
    await ok(['pod', 'unpause', 'seals']);
    await ok(['pod', 'kill', 'seals']);
    expect(await ok(['pod', 'ps', '--format', '{{.Status}}'])).toBe('Exited');
    await ok(['pod', 'restart', 'seals']);
    expect(await ok(['pod', 'ps', '--format', '{{.Status}}'])).toBe('Running');
  });

  it('removes a pod with its containers with -f', async () => {
    const id = await ok(['pod', 'rm', '-f', 'seals']);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await ok(['pod', 'ps', '-q'])).toBe('');
    expect(await ok(['ps', '-aq'])).toBe('');
  });

  it('shares the PID namespace with --share pid, and creates a pod with --pod new:NAME', async () => {
    await ok(['pod', 'create', '--name', 'pids', '--share', 'pid,ipc,uts,net', '--network', 'none']);
    await ok(['run', '-d', '--pod', 'pids', '--name', 'p1', 'busybox', 'sleep', '1001']);
    const ps = await ok(['run', '--rm', '--pod', 'pids', 'busybox', 'ps', '-o', 'pid,args']);
    expect(ps).toContain('sleep 1001');
    expect(ps).toContain('/catatonit -P');
    expect(ps).toMatch(/^\s*1\s+\/catatonit -P$/m); // the infra is PID 1 of the pod

    await ok(['run', '-d', '--pod', 'new:fresh', '--name', 'f1', 'busybox', 'sleep', '1000']);
    expect(await ok(['pod', 'ps', '--filter', 'name=fresh', '--format', '{{.Name}} {{.Status}} {{.NumberOfContainers}}'])).toBe('fresh Running 2');
    await ok(['pod', 'stop', '-t', '0', 'pids', 'fresh']);
    expect((await ok(['pod', 'prune', '-f'])).split('\n')).toHaveLength(2);
    expect(await ok(['pod', 'ps', '-q'])).toBe('');
  });

  it('refuses bad pod options', async () => {
    const share = await s.run(['pod', 'create', '--share', 'net,bogus']);
    expect(share.code).toBe(125);
    expect(share.stderr).toMatch(/invalid --share "bogus"/);
    await ok(['pod', 'create', '--name', 'dup', '--network', 'none']);
    const dup = await s.run(['pod', 'create', '--name', 'dup', '--network', 'none']);
    expect(dup.code).toBe(125);
    expect(dup.stderr).toMatch(/pod name "dup" is already in use/);
    await ok(['pod', 'rm', 'dup']);
  });
});

describe('a pod on the default network', () => {
  it('pod start reports an infra that cannot start as the one error, and leaves its members created and unmounted', async () => {
    await ok(['pod', 'create', '--name', 'badinfra', '--infra-image', 'busybox', '--infra-command', '/no/such/program']);
    for (const n of ['bi1', 'bi2']) await ok(['create', '--pod', 'badinfra', '--name', n, 'busybox', 'sleep', '100']);
    const r = await s.run(['pod', 'start', 'badinfra']);
    expect(r.code).toBe(125);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/-infra: .*no\/such\/program/);
    const states = (await ok(['ps', '-a', '--filter', 'pod=badinfra', '--format', '{{.Names}} {{.State}}'])).split('\n');
    expect(states).toHaveLength(3);
    expect(states).toEqual(expect.arrayContaining(['bi1 created', 'bi2 created', expect.stringMatching(/-infra created$/)]));
    const mounts = (await import('node:fs')).readFileSync('/proc/self/mounts', 'utf8');
    for (const n of ['bi1', 'bi2']) expect(mounts).not.toContain(await ok(['inspect', '-f', '{{.Id}}', n]));
    await ok(['pod', 'rm', '-f', 'badinfra']);
  });

  it('publishes a port of the pod to the container that serves it', async () => {
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    await ok(['pod', 'create', '--name', 'published', '-p', `${port}:80`]);
    await ok(['run', '-d', '--pod', 'published', '--name', 'server', 'busybox', 'httpd', '-f', '-p', '80', '-h', '/etc']);
    let body = '';
    for (let i = 0; i < 30 && body === ''; i++) {
      body = await fetch(`http://127.0.0.1:${port}/hostname`).then((r) => r.text(), () => '');
      if (body === '') await new Promise((r) => setTimeout(r, 200));
    }
    expect(body).toBe('published\n');
    const inspect = JSON.parse(await ok(['pod', 'inspect', 'published']));
    expect(inspect.InfraConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: String(port) }] });
    await ok(['pod', 'rm', '-f', 'published']);
  });
});
