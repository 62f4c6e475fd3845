import { describe, expect, it } from 'vitest';
import type { ContainerInspect } from '../../src/engine/types/container.js';
import type { PodSummary } from '../../src/engine/types/pod.js';
import { formatAgo, formatBytes, shortId } from '../../src/ui/common/format.js';
import { containerCounts, groupContainers } from '../../src/ui/containers/container-groups.js';
import { seccompModeName, securityView, startedByText } from '../../src/ui/containers/security-view.js';
import { containerOptionsFromForm, emptyContainerForm } from '../../src/ui/dialogs/container-form.js';
import { parseCapabilities, parseCommand, parseEnv, parseIdMappings, parseMemory, parsePorts, parseRestartPolicy } from '../../src/ui/dialogs/form-parsing.js';
import { emptyPodContainer, emptyPodForm, podParamsFromForm } from '../../src/ui/dialogs/pod-form.js';
import { PullProgressTracker } from '../../src/ui/images/pull-progress.js';
import { container } from './fake-engine.js';

const pod = (name: string, status: PodSummary['Status'] = 'Running'): PodSummary => ({
  Id: `${name}-podid`, Name: name, Status: status, Created: '', InfraId: `${name}-infra`, Labels: {}, Networks: [], Cgroup: '', Namespace: '', Containers: [],
});

describe('containers grouped by pod', () => {
  const containers = [
    container('zeta'),
    container('alpha', { State: 'exited' }),
    container('db', { Pod: 'shop-podid', PodName: 'shop' }),
    container('api', { Pod: 'shop-podid', PodName: 'shop', State: 'paused' }),
    container('shop-infra', { Pod: 'shop-podid', PodName: 'shop', IsInfra: true }),
    container('old', { Pod: 'old-podid', PodName: 'old', State: 'exited' }),
  ];
  const pods = [pod('shop'), pod('old', 'Exited')];

  it('lists pods first by name with their members sorted, then the containers outside pods; infra hidden', () => {
    const g = groupContainers(containers, pods, { showAll: true, filter: '' });
    expect(g.map((x) => [x.pod?.Name ?? null, x.containers.map((c) => c.Names[0])])).toEqual([
      ['old', ['old']],
      ['shop', ['api', 'db']],
      [null, ['alpha', 'zeta']],
    ]);
  });

  it('running only: keeps running and paused containers, and active pods', () => {
    const g = groupContainers(containers, pods, { showAll: false, filter: '' });
    expect(g.map((x) => [x.pod?.Name ?? null, x.containers.map((c) => c.Names[0])])).toEqual([
      ['shop', ['api', 'db']],
      [null, ['zeta']],
    ]);
  });

  it('filters by container name, image or pod name (a pod name match shows all its members)', () => {
    expect(groupContainers(containers, pods, { showAll: true, filter: 'DB' }).map((x) => [x.pod?.Name ?? null, x.containers.length])).toEqual([['shop', 1]]);
    expect(groupContainers(containers, pods, { showAll: true, filter: 'shop' }).map((x) => [x.pod?.Name ?? null, x.containers.length])).toEqual([['shop', 2]]);
    expect(groupContainers(containers, pods, { showAll: true, filter: 'nothing-like-this' })).toEqual([]);
  });

  it('counts containers without the infra ones', () => {
    expect(containerCounts(containers)).toEqual({ all: 5, running: 2 });
  });
});

describe('form parsing', () => {
  it('splits a command like a shell', () => {
    expect(parseCommand(`sh -c 'echo "a b"; sleep 1' x\\ y`)).toEqual({ ok: true, value: ['sh', '-c', 'echo "a b"; sleep 1', 'x y'] });
    expect(parseCommand('  ')).toEqual({ ok: true, value: undefined });
    expect(parseCommand('echo "open')).toMatchObject({ ok: false, error: 'the command has an unclosed " quote' });
  });

  it('reads KEY=VALUE lines and names the bad one', () => {
    expect(parseEnv('A=1\n\n B=x=y \n')).toEqual({ ok: true, value: ['A=1', 'B=x=y'] });
    expect(parseEnv('A=1\nnot a pair')).toEqual({ ok: false, error: 'line 2: "not a pair" is not KEY=VALUE' });
  });

  it('checks published ports', () => {
    expect(parsePorts('8080:80, 127.0.0.1:53:53/udp 9000')).toEqual({ ok: true, value: ['8080:80', '127.0.0.1:53:53/udp', '9000'] });
    expect(parsePorts('8080:99999')).toMatchObject({ ok: false, error: '"8080:99999": the container port must be a number from 1 to 65535' });
    expect(parsePorts('80/sctp')).toMatchObject({ ok: false });
  });

  it('reads memory sizes in Docker units, at least 6 MB', () => {
    expect(parseMemory('512m')).toEqual({ ok: true, value: 512 * 1024 * 1024 });
    expect(parseMemory('1G')).toEqual({ ok: true, value: 1024 ** 3 });
    expect(parseMemory('1k')).toMatchObject({ ok: false, error: 'the memory limit must be at least 6 MB' });
    expect(parseMemory('lots')).toMatchObject({ ok: false });
  });

  it('normalizes capability names and refuses unknown ones', () => {
    expect(parseCapabilities('net_admin, CAP_SYS_PTRACE net_admin')).toEqual({ ok: true, value: ['CAP_NET_ADMIN', 'CAP_SYS_PTRACE'] });
    expect(parseCapabilities('all')).toEqual({ ok: true, value: ['ALL'] });
    expect(parseCapabilities('fly')).toEqual({ ok: false, error: '"fly" is not a Linux capability' });
  });
});

describe('create container form', () => {
  it('turns the fields into create options', () => {
    const r = containerOptionsFromForm({ ...emptyContainerForm(), image: ' localhost/busybox ', name: 'web', command: 'sleep 100', env: 'A=1', ports: '8080:80', memory: '64m', cpus: '0.5', capAdd: 'net_admin', capDrop: 'chown', pod: 'shop', tty: true });
    expect(r).toEqual({
      errors: {},
      options: { image: 'localhost/busybox', name: 'web', command: ['sleep', '100'], env: ['A=1'], publish: ['8080:80'], memory: 64 * 1024 ** 2, cpus: 0.5, capAdd: ['CAP_NET_ADMIN'], capDrop: ['CAP_CHOWN'], pod: 'shop', tty: true, interactive: true },
    });
  });

  it('gives an error per bad field and no options', () => {
    const r = containerOptionsFromForm({ ...emptyContainerForm(), image: '', name: '-bad', capAdd: 'kill', capDrop: 'kill' });
    expect(r.options).toBeUndefined();
    expect(Object.keys(r.errors).sort()).toEqual(['capDrop', 'image', 'name']);
  });
});

describe('create pod form', () => {
  it('needs a name, checks each container, and keeps the namespaces', () => {
    const v = { ...emptyPodForm(), name: 'shop', ports: '8080:80', containers: [{ ...emptyPodContainer(), image: 'busybox', name: 'a', command: 'sleep 1000' }, { ...emptyPodContainer(), image: 'busybox', env: 'X=1' }] };
    expect(podParamsFromForm(v).params).toEqual({
      options: { name: 'shop', share: ['net', 'ipc', 'uts'], publish: ['8080:80'] },
      containers: [{ image: 'busybox', name: 'a', command: ['sleep', '1000'] }, { image: 'busybox', env: ['X=1'] }],
    });
    const bad = podParamsFromForm({ ...v, name: '', share: ['ipc'], containers: [{ ...emptyPodContainer(), name: 'x' }, { ...emptyPodContainer(), image: 'b', name: 'x' }] });
    expect(bad.params).toBeUndefined();
    expect(bad.errors.pod).toMatchObject({ name: 'Give the pod a name', share: 'Published ports need the shared network namespace' });
    expect(bad.errors.containers).toEqual([{ image: 'Choose or type an image' }, { name: '"x" is used twice' }]);
  });
});

describe('security view', () => {
  const inspect = {
    EffectiveCaps: ['CAP_KILL', 'CAP_NET_ADMIN'],
    BoundingCaps: ['CAP_KILL', 'CAP_NET_ADMIN'],
    SeccompProfilePath: '',
    ProcessLabel: '',
    MountLabel: '',
    AppArmorProfile: '',
    HostConfig: { SecurityOpt: ['no-new-privileges'], ReadonlyRootfs: true, Privileged: false, UsernsMode: '', IDMappings: { UidMap: ['0:100000:65536'], GidMap: ['0:100000:65536'] } },
  } as unknown as ContainerInspect;

  it('compares capabilities with the default set and reads the confinement flags', () => {
    expect(securityView(inspect, ['CAP_CHOWN', 'CAP_KILL'])).toMatchObject({
      added: ['CAP_NET_ADMIN'],
      dropped: ['CAP_CHOWN'],
      seccompProfile: 'default',
      noNewPrivileges: true,
      readOnlyRootfs: true,
      uidMap: ['0:100000:65536'],
    });
    expect(securityView({ ...inspect, SeccompProfilePath: 'unconfined', HostConfig: { ...inspect.HostConfig, SecurityOpt: [] } }, []).seccompProfile).toBe('unconfined');
    expect(seccompModeName('filter')).toBe('filter');
    expect(seccompModeName('2')).toBe('filter');
  });

  it('reads who started it from the Selkie key of inspect', () => {
    expect(securityView({ ...inspect, Selkie: { LoginUid: 1000, LoginUser: 'alice' } }, [])).toMatchObject({ loginUid: 1000, loginUser: 'alice' });
    expect(securityView({ ...inspect, Selkie: { LoginUid: null, LoginUser: '' } }, []).loginUid).toBeNull();
    expect(securityView(inspect, []).loginUid).toBeUndefined();
  });
});

describe('pull progress and formatting', () => {
  it('sums the layers into one bar', () => {
    const t = new PullProgressTracker();
    t.update({ kind: 'resolving', reference: 'r/app' });
    expect(t.summary()).toEqual({ percent: undefined, text: 'Resolving r/app', done: false });
    t.update({ kind: 'blob', digest: 'a', state: 'copying', received: 500, total: 1000 });
    t.update({ kind: 'blob', digest: 'b', state: 'done', received: 1000, total: 1000 });
    expect(t.summary()).toEqual({ percent: 75, text: 'Copying layers: 1/2, 1.50 kB / 2.00 kB', done: false });
    t.update({ kind: 'present', reference: 'r/app' });
    expect(t.summary().percent).toBe(100);
  });

  it('formats sizes, ages and IDs', () => {
    expect(formatBytes(2_140_160)).toBe('2.14 MB');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatAgo(1000, 1000_000 + 3 * 3600_000)).toBe('3 hours ago');
    expect(formatAgo(1000, 1000_000 + 61_000)).toBe('1 minute ago');
    expect(shortId('sha256:0123456789abcdef')).toBe('0123456789ab');
  });
});

describe('user-namespace mapping and restart policy fields', () => {
  it('accepts CONTAINER:HOST:SIZE triples and refuses malformed, empty or overlapping ranges', () => {
    expect(parseIdMappings('0:100000:65536')).toEqual({ ok: true, value: ['0:100000:65536'] });
    expect(parseIdMappings(' 0:1000:1, 1:100000:65535 ')).toEqual({ ok: true, value: ['0:1000:1', '1:100000:65535'] });
    expect(parseIdMappings('')).toEqual({ ok: true, value: [] });
    expect(parseIdMappings('0:100000')).toMatchObject({ ok: false, error: expect.stringContaining('CONTAINER_ID:HOST_ID:SIZE') });
    expect(parseIdMappings('0:-1:5')).toMatchObject({ ok: false });
    expect(parseIdMappings('0:100000:0')).toMatchObject({ ok: false, error: expect.stringContaining('at least 1') });
    expect(parseIdMappings('4294967295:0:2')).toMatchObject({ ok: false, error: expect.stringContaining('4294967295') });
    expect(parseIdMappings('0:100000:10 10:100005:10')).toMatchObject({ ok: false, error: expect.stringContaining('host IDs overlap') });
  });

  it('makes --restart values: no limit when the retries are empty, on-failure:N otherwise', () => {
    expect(parseRestartPolicy('no', '')).toEqual({ ok: true, value: undefined });
    expect(parseRestartPolicy('always', '5')).toEqual({ ok: true, value: 'always' });
    expect(parseRestartPolicy('unless-stopped', '')).toEqual({ ok: true, value: 'unless-stopped' });
    expect(parseRestartPolicy('on-failure', '')).toEqual({ ok: true, value: 'on-failure' });
    expect(parseRestartPolicy('on-failure', '3')).toEqual({ ok: true, value: 'on-failure:3' });
    expect(parseRestartPolicy('on-failure', '-1')).toMatchObject({ ok: false });
    expect(parseRestartPolicy('sometimes', '')).toMatchObject({ ok: false });
  });

  it('puts both into the create options; a GID mapping alone is refused', () => {
    const base = { ...emptyContainerForm(), image: 'busybox' };
    expect(containerOptionsFromForm({ ...base, uidmap: '0:100000:65536', gidmap: '0:200000:65536', restart: 'always' }).options).toEqual({
      image: 'busybox',
      uidmap: ['0:100000:65536'],
      gidmap: ['0:200000:65536'],
      restart: 'always',
    });
    expect(containerOptionsFromForm({ ...base, gidmap: '0:200000:65536' }).errors.uidmap).toBe('A GID mapping needs a UID mapping too');
  });
});

describe('who started a container (Security tab)', () => {
  it('names the login user, says when there was no login session, and nothing when unknown', () => {
    expect(startedByText({ loginUid: 1000, loginUser: 'alice' })).toBe('alice (login UID 1000)');
    expect(startedByText({ loginUid: 1234, loginUser: '' })).toBe('login UID 1234');
    expect(startedByText({ loginUid: null, loginUser: '' })).toBe('no login session (a service started it)');
    expect(startedByText({ loginUid: undefined, loginUser: '' })).toBe('');
  });
});
