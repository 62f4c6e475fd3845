import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
const volumes = async () => (await s.run(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean);

beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
  // An image with a VOLUME whose content the volume gets on first use.
  expect((await s.run(['run', '--name', 'seed', 'busybox', 'sh', '-c', 'mkdir -p /srv/app && echo seeded > /srv/app/file && chown -R 12:34 /srv/app && chmod 750 /srv/app'])).code).toBe(0);
  expect((await s.run(['commit', '-q', '-c', 'VOLUME /srv/app', 'seed', 'localhost/withvol'])).code).toBe(0);
  expect((await s.run(['rm', 'seed'])).code).toBe(0);
});
afterAll(async () => s.cleanup());

describe('volume commands', () => {
  it('creates, lists, inspects, checks and removes volumes', async () => {
    expect((await s.run(['volume', 'create', 'data'])).stdout).toBe('data\n');
    expect((await s.run(['volume', 'create', '--label', 'tier=db', '--label', 'keep', 'labelled'])).code).toBe(0);
    const gen = await s.run(['volume', 'create']);
    expect(gen.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    const inspect = JSON.parse((await s.run(['volume', 'inspect', 'labelled'])).stdout) as Record<string, unknown>[];
    expect(inspect[0]).toMatchObject({ Name: 'labelled', Driver: 'local', Scope: 'local', Labels: { tier: 'db', keep: '' }, Options: {}, MountCount: 0 });
    expect(inspect[0]!.Mountpoint).toBe(path.join(s.root, 'volumes', 'labelled', '_data'));
    expect(fs.statSync(inspect[0]!.Mountpoint as string).isDirectory()).toBe(true);
    expect(Date.parse(inspect[0]!.CreatedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect((await s.run(['volume', 'inspect', '--format', '{{.Name}} {{.Driver}}', 'data'])).stdout).toBe('data local\n');

    const table = (await s.run(['volume', 'ls'])).stdout.split('\n');
    expect(table[0]).toMatch(/^DRIVER\s+VOLUME NAME$/);
    expect(table).toContain('local     data');
    expect((await s.run(['volume', 'ls', '-q', '--filter', 'label=tier=db'])).stdout).toBe('labelled\n');
    expect((await s.run(['volume', 'ls', '-q', '--filter', 'name=dat'])).stdout).toBe('data\n');
    expect((await s.run(['volume', 'ls', '--format', '{{.Name}}:{{.Driver}}', '--filter', 'driver=local', '--filter', 'label=keep'])).stdout).toBe('labelled:local\n');
    expect(JSON.parse((await s.run(['volume', 'ls', '--format', 'json', '--filter', 'name=labelled'])).stdout)).toHaveLength(1);

    expect((await s.run(['volume', 'exists', 'data'])).code).toBe(0);
    expect((await s.run(['volume', 'exists', 'nope'])).code).toBe(1);
    expect((await s.run(['volume', 'rm', 'labelled', gen.stdout.trim()])).code).toBe(0);
    expect(fs.existsSync(path.join(s.root, 'volumes', 'labelled'))).toBe(false);
    expect(await volumes()).toEqual(['data']);
    const missing = await s.run(['volume', 'rm', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('volume "nope" not found');
  });

  it('refuses bad names, unknown drivers and options, and an existing name', async () => {
    const dup = await s.run(['volume', 'create', 'data']);
    expect(dup.code).toBe(125);
    expect(dup.stderr).toContain('volume with name "data" already exists');
    expect((await s.run(['volume', 'create', 'bad/name'])).stderr).toContain('invalid volume name "bad/name"');
    expect((await s.run(['volume', 'create', '--driver', 'nfs', 'x1'])).stderr).toContain('volume driver "nfs" is not supported');
    expect((await s.run(['volume', 'create', '--opt', 'color=red', 'x2'])).stderr).toContain('invalid volume option "color"');
    expect((await s.run(['volume', 'ls', '--filter', 'colour=red'])).code).toBe(125);
    expect(await volumes()).toEqual(['data']);
  });
});

describe('volumes in containers', () => {
  it('mounts a named volume (created on first use) with nodev and nosuid, shared between containers, read-only on request', async () => {
    const w = await s.run(['run', '--rm', '-v', 'shared:/data', 'busybox', 'sh', '-c', 'echo hello > /data/f && grep " /data " /proc/mounts']);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/ \/data \S+ rw,nosuid,nodev/);
    expect(await volumes()).toContain('shared');
    const r = await s.run(['run', '--rm', '-v', 'shared:/in:ro', 'busybox', 'sh', '-c', 'cat /in/f; touch /in/g || echo refused']);
    expect(r.stdout).toBe('hello\nrefused\n');
    const m = await s.run(['run', '--rm', '--mount', 'type=volume,source=shared,target=/m,readonly', 'busybox', 'cat', '/m/f']);
    expect(m.stdout).toBe('hello\n');
    expect(fs.readFileSync(path.join(s.root, 'volumes', 'shared', '_data', 'f'), 'utf8')).toBe('hello\n');
  });

  it("copies the image's content into an empty volume on first use, unless nocopy", async () => {
    const r = await s.run(['run', '--rm', '-v', 'etc-copy:/etc', 'busybox', 'cat', '/etc/passwd']);
    expect(r.stdout).toContain('root:x:0:0');
    expect(fs.existsSync(path.join(s.root, 'volumes', 'etc-copy', '_data', 'passwd'))).toBe(true);
    const n = await s.run(['run', '--rm', '-v', 'etc-nocopy:/etc:nocopy', 'busybox', 'ls', '/etc']);
    expect(n.stdout).not.toContain('passwd');
    const m = await s.run(['run', '--rm', '--mount', 'type=volume,target=/etc,volume-nocopy', 'busybox', 'ls', '/etc']);
    expect(m.stdout).not.toContain('passwd');
    expect((await s.run(['volume', 'inspect', '--format', '{{.NeedsCopyUp}}', 'etc-copy'])).stdout).toBe('false\n');
  });

  it("gives an image's VOLUME an anonymous volume with the image's content, owner and mode; rm -v removes it", async () => {
    const c = await s.run(['run', '--name', 'withvol', 'withvol', 'sh', '-c', 'stat -c "%u:%g %a" /srv/app; cat /srv/app/file; grep -c " /srv/app " /proc/mounts']);
    expect(c.stdout).toBe('12:34 750\nseeded\n1\n');
    const mounts = JSON.parse((await s.run(['inspect', '--format', '{{json .Mounts}}', 'withvol'])).stdout) as Record<string, unknown>[];
    expect(mounts).toHaveLength(1);
    expect(mounts[0]).toMatchObject({ Type: 'volume', Destination: '/srv/app', Driver: 'local', RW: true });
    const name = mounts[0]!.Name as string;
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(mounts[0]!.Source).toBe(path.join(s.root, 'volumes', name, '_data'));
    expect(JSON.parse((await s.run(['volume', 'inspect', name])).stdout)[0].Anonymous).toBe(true);
    // in use: volume rm refuses (podman's exit code 2) and leaves it
    const inUse = await s.run(['volume', 'rm', name]);
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toContain('is being used by container');
    expect((await s.run(['rm', '-v', 'withvol'])).code).toBe(0);
    expect(await volumes()).not.toContain(name);
  });

  it('removes anonymous volumes of --rm containers, keeps named ones, and plain rm keeps anonymous ones', async () => {
    const before = await volumes();
    expect((await s.run(['run', '--rm', '-v', '/scratch', '-v', 'kept:/kept', 'busybox', 'touch', '/scratch/x', '/kept/x'])).code).toBe(0);
    const after = await volumes();
    expect(after.filter((v) => !before.includes(v))).toEqual(['kept']);
    expect((await s.run(['create', '--name', 'anon', '-v', '/scratch', 'busybox', 'true'])).code).toBe(0);
    const withAnon = await volumes();
    expect(withAnon.length).toBe(after.length + 1);
    expect((await s.run(['rm', 'anon'])).code).toBe(0);
    expect(await volumes()).toEqual(withAnon); // docker rm without -v keeps it
  });

  it("shares another container's volumes with --volumes-from, read-only with :ro", async () => {
    expect((await s.run(['create', '--name', 'owner', '-v', 'vf:/shared', 'busybox', 'true'])).code).toBe(0);
    expect((await s.run(['run', '--rm', '--volumes-from', 'owner', 'busybox', 'sh', '-c', 'echo from-friend > /shared/f'])).code).toBe(0);
    const ro = await s.run(['run', '--rm', '--volumes-from', 'owner:ro', 'busybox', 'sh', '-c', 'cat /shared/f; touch /shared/g || echo refused']);
    expect(ro.stdout).toBe('from-friend\nrefused\n');
    const bad = await s.run(['run', '--rm', '--volumes-from', 'nobody-here', 'busybox', 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('container "nobody-here" not found');
  });

  it('volume rm -f removes the containers using it; prune removes only unused volumes', async () => {
    expect((await s.run(['create', '--name', 'user1', '-v', 'forced:/f', 'busybox', 'true'])).code).toBe(0);
    expect((await s.run(['volume', 'rm', '-f', 'forced'])).code).toBe(0);
    expect((await s.run(['container', 'exists', 'user1'])).code).toBe(1);
    expect((await s.run(['volume', 'create', '--label', 'keep=yes', 'prune-keep'])).code).toBe(0);
    expect((await s.run(['volume', 'create', 'prune-me'])).code).toBe(0);
    const dangling = (await s.run(['volume', 'ls', '-q', '--filter', 'dangling=true'])).stdout;
    expect(dangling).toContain('prune-me');
    expect(dangling).not.toContain('vf'); // used by the "owner" container
    const p = await s.run(['volume', 'prune', '-f', '--filter', 'label!=keep=yes']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('prune-me\n');
    expect(p.stdout).toMatch(/Total reclaimed space: /);
    const left = await volumes();
    expect(left).toContain('prune-keep');
    expect(left).toContain('vf');
    expect(left).not.toContain('prune-me');
  });

  it("chowns a volume or bind source to the container's user with U", async () => {
    const r = await s.run(['run', '--rm', '-u', '1000:1001', '-v', 'uvol:/u:U', 'busybox', 'sh', '-c', 'touch /u/f && stat -c "%u:%g" /u /u/f']);
    expect(r.stdout).toBe('1000:1001\n1000:1001\n');
    const dir = path.join(s.root, '..', 'ubind');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    expect((await s.run(['run', '--rm', '-u', '7:8', '-v', `${dir}:/b:U`, 'busybox', 'true'])).code).toBe(0);
    expect([fs.statSync(path.join(dir, 'sub')).uid, fs.statSync(path.join(dir, 'sub')).gid]).toEqual([7, 8]);
  });

  it('mounts a volume with local driver options (tmpfs) when the container starts', async () => {
    expect((await s.run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=2m', 'tmpv'])).code).toBe(0);
    expect(JSON.parse((await s.run(['volume', 'inspect', 'tmpv'])).stdout)[0].Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=2m' });
    const r = await s.run(['run', '--rm', '-v', 'tmpv:/t', 'busybox', 'sh', '-c', 'grep " /t " /proc/mounts']);
    expect(r.stdout).toMatch(/^tmpfs \/t tmpfs rw,nosuid,nodev,.*size=2048k/);
  });

  it('refuses bad -v/--mount input with exit 125 and leaves nothing behind', async () => {
    const before = await volumes();
    const cases: [string[], string][] = [
      [['-v', 'bad*name:/x'], 'invalid volume name "bad*name"'],
      [['-v', 'good:/x:sideways'], 'invalid option "sideways"'],
      [['-v', 'a:b:c:d'], 'invalid -v'],
      [['-v', 'fresh1:relative'], 'must be absolute'],
      [['-v', '/no/such/dir:/x'], 'does not exist'],
      [['--mount', 'type=volume,source=fresh2'], 'no target'],
      [['--mount', 'type=bind,source=/no/such/dir,target=/x'], 'does not exist'],
      [['--mount', 'type=nfs,target=/x'], 'unsupported --mount type'],
      [['-v', 'fresh3:/same', '-v', 'fresh4:/same'], 'duplicate mount destination /same'],
      [['--volumes-from', 'owner:sideways'], 'invalid --volumes-from'],
    ];
    for (const [flags, message] of cases) {
      const r = await s.run(['run', '--rm', ...flags, 'busybox', 'true']);
      expect(r.code, flags.join(' ')).toBe(125);
      expect(r.stderr, flags.join(' ')).toContain(message);
    }
    // a name conflict after the volumes were made: they are removed again
    expect((await s.run(['create', '--name', 'taken', 'busybox', 'true'])).code).toBe(0);
    const conflict = await s.run(['create', '--name', 'taken', '-v', 'fresh5:/x', '-v', '/anon', 'busybox', 'true']);
    expect(conflict.code).toBe(125);
    expect(await volumes()).toEqual(before);
  });
});
