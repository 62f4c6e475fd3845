import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let dir: string;
beforeAll(async () => {
  s = await busyboxEnv();
  dir = path.dirname(s.root);
});
afterAll(async () => {
  const pods = s.runSync(['pod', 'ps', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean);
  if (pods.length) s.runSync(['pod', 'rm', '-f', ...pods]);
  await s.cleanup();
});

const ok = async (args: string[]) => {
  const r = await s.run(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });

async function get(url: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const body = await fetch(url).then((r) => r.text(), () => '');
    if (body) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
  return '';
}

/** What defines the running pod, independent of IDs and times. */
async function podShape(name: string) {
  const pod = JSON.parse(await ok(['pod', 'inspect', name]));
  const members = [];
  for (const c of pod.Containers.filter((c: { Id: string }) => c.Id !== pod.InfraContainerId)) {
    const [i] = JSON.parse(await ok(['inspect', c.Id]));
    members.push({ name: i.Name, path: i.Path, args: i.Args, env: i.Config.Env.filter((e: string) => e.startsWith('GREETING=')), caps: i.HostConfig.CapDrop, state: i.State.Status, mounts: i.Mounts.map((m: { Source: string; Destination: string }) => `${m.Source}:${m.Destination}`) });
  }
  return { name: pod.Name, hostname: pod.Hostname, state: pod.State, ports: pod.InfraConfig.PortBindings, members };
}

describe('Kubernetes YAML', () => {
  it('round-trips a pod: generate kube, remove it, play kube, the same pod runs', async () => {
    const port = await freePort();
    const data = path.join(dir, 'www');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'index.html'), 'from the host\n');
    await ok(['pod', 'create', '--name', 'kweb', '-p', `${port}:80`]);
    await ok(['run', '-d', '--pod', 'kweb', '--name', 'kweb-server', '-e', 'GREETING=hello', '--cap-drop', 'NET_RAW', '-v', `${data}:/www:ro`, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/www']);
    await ok(['run', '-d', '--pod', 'kweb', '--name', 'kweb-sidecar', 'busybox', 'sleep', '1000']);
    expect(await get(`http://127.0.0.1:${port}/`)).toBe('from the host\n');
    const before = await podShape('kweb');

    const file = path.join(dir, 'kweb.yaml');
    await ok(['generate', 'kube', '--service', '-f', file, 'kweb']);
    const yaml = fs.readFileSync(file, 'utf8');
    expect(yaml).toMatch(/^kind: Pod$/m);
    expect(yaml).toMatch(/^kind: Service$/m);
    expect(yaml).toMatch(/hostPort: \d+/);

    await ok(['pod', 'rm', '-f', 'kweb']);
    expect(await ok(['pod', 'ps', '-q'])).toBe('');
    const played = await ok(['play', 'kube', file]);
    expect(played).toMatch(/^Pod:\n[0-9a-f]{64}\nContainers:\n[0-9a-f]{64}\n[0-9a-f]{64}\n/);
    expect(await get(`http://127.0.0.1:${port}/`)).toBe('from the host\n');
    expect(await podShape('kweb')).toEqual(before);

    // kube down removes it again.
    const down = await ok(['kube', 'play', '--down', file]);
    expect(down).toMatch(/^Pods stopped:\n[0-9a-f]{64}\nPods removed:\n[0-9a-f]{64}\n$/);
    expect(await ok(['pod', 'ps', '-q'])).toBe('');
    expect(await ok(['ps', '-aq'])).toBe('');
  });

  it('plays a Deployment with command, args, env, limits and an emptyDir shared by two containers', async () => {
    const file = path.join(dir, 'deploy.yaml');
    fs.writeFileSync(file, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shared
spec:
  replicas: 1
  template:
    metadata:
      labels:
        app: shared
    spec:
      containers:
        - name: writer
          image: localhost/busybox:latest
          command: ["sh", "-c"]
          args: ["echo $GREETING > /scratch/msg; sleep 1000"]
          env:
            - name: GREETING
              value: ahoy
          resources:
            limits:
              memory: 64Mi
              cpu: 500m
          volumeMounts:
            - name: scratch
              mountPath: /scratch
        - name: reader
          image: localhost/busybox:latest
          command: ["sleep", "1000"]
          securityContext:
            runAsUser: 1000
          volumeMounts:
            - name: scratch
              mountPath: /scratch
      volumes:
        - name: scratch
          emptyDir: {}
`);
    await ok(['play', 'kube', file]);
    let msg = '';
    for (let i = 0; i < 30 && msg !== 'ahoy\n'; i++) {
      msg = (await s.run(['exec', 'shared-pod-reader', 'cat', '/scratch/msg'])).stdout;
      if (msg !== 'ahoy\n') await new Promise((r) => setTimeout(r, 200));
    }
    expect(msg).toBe('ahoy\n');
    expect(await ok(['exec', 'shared-pod-reader', 'id', '-u'])).toBe('1000\n');
    expect(await ok(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}', 'shared-pod-writer'])).toBe(`${64 * 1024 * 1024} 500000000\n`);
    await ok(['play', 'kube', '--down', file]);
  });

  it('refuses malformed and unsupported YAML naming the field and line, and creates nothing', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n    - name: c\n      image: localhost/busybox\n      ports:\n        - containerPort: http\n');
    const r = await s.run(['play', 'kube', file]);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`${file}:10: spec.containers[0].ports[0].containerPort: expected a whole number`);
    fs.writeFileSync(file, 'kind: Pod\nmetadata: [\n');
    const m = await s.run(['play', 'kube', file]);
    expect(m.code).toBe(125);
    expect(m.stderr).toMatch(/bad\.yaml:\d+: malformed YAML/);
    const missing = await s.run(['play', 'kube', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: ENOENT/);
    // An image that does not exist: the pod made for it is removed again.
    fs.writeFileSync(file, 'kind: Pod\nmetadata:\n  name: ghost\nspec:\n  containers:\n    - name: c\n      image: localhost/no-such-image\n');
    expect((await s.run(['play', 'kube', file])).code).toBe(125);
    expect(await ok(['pod', 'ps', '-q'])).toBe('');
  });
});
