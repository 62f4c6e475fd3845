import { describe, expect, it } from 'vitest';
import { parseKube } from '../../../src/engine/kube/kube-parse.js';
import { kubeBytes, kubeCpus } from '../../../src/engine/kube/play-kube.js';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  hostname: webhost
  containers:
    - name: server
      image: localhost/busybox:latest
      command: [httpd]
      args: ["-f", "-p", "80"]
      env:
        - name: A
          value: "1"
      ports:
        - containerPort: 80
          hostPort: 8080
      securityContext:
        capabilities:
          drop: [NET_RAW]
        runAsUser: 1000
      resources:
        limits:
          memory: 64Mi
          cpu: 500m
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      hostPath:
        path: /tmp/x
`;

describe('parseKube', () => {
  it('reads a Pod with its containers, ports, env, security context, limits and volumes', async () => {
    const [p] = await parseKube(pod, 'web.yaml');
    expect(p).toMatchObject({ name: 'web', hostname: 'webhost', labels: { app: 'web' } });
    expect(p!.containers[0]).toMatchObject({
      name: 'server',
      image: 'localhost/busybox:latest',
      command: ['httpd'],
      args: ['-f', '-p', '80'],
      env: [{ name: 'A', value: '1' }],
      ports: [{ containerPort: 80, hostPort: 8080 }],
      securityContext: { capabilities: { drop: ['NET_RAW'] }, runAsUser: 1000 },
      resources: { limits: { memory: '64Mi', cpu: '500m' } },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    });
    expect(p!.volumes).toEqual([{ name: 'data', hostPath: { path: '/tmp/x', type: undefined } }]);
  });

  it('reads a Deployment as its pod template, and skips Services and empty documents', async () => {
    const text = `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: c\n          image: busybox\n---\nkind: Service\nmetadata:\n  name: api\n---\n`;
    const pods = await parseKube(text);
    expect(pods.map((p) => p.name)).toEqual(['api-pod']);
    expect(pods[0]!.labels).toEqual({ app: 'api' });
  });

  it.each([
    ['kind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: c\n      image: [a]\n', /f\.yaml:7: spec\.containers\[0\]\.image: expected a string/],
    ['kind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: c\n', /f\.yaml:6: spec\.containers\[0\]\.image: is required/],
    ['kind: CronJob\nmetadata:\n  name: x\n', /f\.yaml:1: kind: "CronJob" is not supported/],
    ['kind: Pod\nmetadata:\n  name: x\nspec:\n  containers: {}\n', /f\.yaml:5: spec\.containers: expected a list/],
    ['kind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: c\n      image: b\n      env:\n        - name: A\n          valueFrom: {}\n', /f\.yaml:10: spec\.containers\[0\]\.env\[0\]\.valueFrom: is not supported/],
    ['kind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: c\n      image: b\n      ports:\n        - containerPort: eighty\n', /f\.yaml:9: spec\.containers\[0\]\.ports\[0\]\.containerPort: expected a whole number/],
    ['kind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: c\n      image: b\n      lifecycle: {}\n', /f\.yaml:8: spec\.containers\[0\]\.lifecycle: is not supported/],
    ['kind: Pod\nmetadata: {name: x\n', /f\.yaml:\d+: malformed YAML/],
    ['kind: Pod\nmetadata:\n  labels: {}\n', /metadata\.name: is required/],
    ['kind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: c\n      image: b\n  volumes:\n    - name: v\n      nfs: {}\n', /f\.yaml:10: spec\.volumes\[0\]\.nfs: is not supported/],
  ])('names the file, line and field of bad input %#', async (text, re) => {
    await expect(parseKube(text, 'f.yaml')).rejects.toThrow(re);
  });
});

describe('Kubernetes quantities', () => {
  it('converts memory and CPU', () => {
    expect(kubeBytes('64Mi', 'm')).toBe(64 * 1024 * 1024);
    expect(kubeBytes('1G', 'm')).toBe(1e9);
    expect(kubeBytes('1048576', 'm')).toBe(1048576);
    expect(() => kubeBytes('lots', 'm')).toThrow(/invalid quantity "lots"/);
    expect(kubeCpus('500m', 'c')).toBe(0.5);
    expect(kubeCpus('2', 'c')).toBe(2);
    expect(() => kubeCpus('fast', 'c')).toThrow(/invalid CPU quantity/);
  });
});
