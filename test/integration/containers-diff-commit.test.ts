import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

const changes = 'mkdir -p /d/sub && echo a > /d/a && echo b > /d/sub/b && rm -rf /etc/group /home && echo x >> /etc/passwd && rm -rf /var && mkdir -p /var/fresh && touch /var/fresh/f';

for (const driver of ['overlay', 'vfs'] as const) {
  describe(`diff and commit (${driver})`, () => {
    let s: SelkieEnv;
    beforeAll(async () => {
      s = makeSelkieEnv({ storageDriver: driver });
      const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
      expect(r.code).toBe(0);
      // busybox's /var has a subdirectory so that removing and recreating it hides lower content
      expect((await s.run(['run', '--name', 'base', 'busybox', 'sh', '-c', 'mkdir -p /var/old && touch /var/old/o'])).code).toBe(0);
      expect((await s.run(['commit', '-q', 'base', 'localhost/base'])).code).toBe(0);
      expect((await s.run(['run', '--name', 'changed', 'base', 'sh', '-c', changes])).code).toBe(0);
    });
    afterAll(async () => s.cleanup());

    it("lists the container's changes as podman does (A/C/D, sorted, runtime mount points left out)", async () => {
      const r = await s.run(['diff', 'changed']);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n').filter(Boolean);
      for (const l of ['A /d', 'A /d/a', 'A /d/sub', 'A /d/sub/b', 'C /etc', 'D /etc/group', 'C /etc/passwd', 'D /home', 'C /var', 'D /var/old', 'A /var/fresh', 'A /var/fresh/f']) {
        expect(lines, l).toContain(l);
      }
      expect(lines).toEqual([...lines].sort((a, b) => (a.slice(2) < b.slice(2) ? -1 : 1)));
      expect(r.stdout).not.toMatch(/\/etc\/(hosts|hostname|resolv\.conf)$/m);
      const json = JSON.parse((await s.run(['container', 'diff', '--format', 'json', 'changed'])).stdout) as Record<string, string[]>;
      expect(json.added).toContain('/d/sub/b');
      expect(json.deleted).toEqual(['/etc/group', '/home', '/var/old']);
      expect(json.changed).toContain('/etc/passwd');
      expect((await s.run(['diff', '--format', '{{.Kind}}:{{.Path}}', 'changed'])).stdout).toContain('D:/home\n');
      expect((await s.run(['diff', 'nothing-here'])).code).toBe(125);
    });

    it('commits the changes as a new layer that runs, with history, author, message and --change', async () => {
      const r = await s.run([
        'commit', '-a', 'Jane <jane@example.com>', '-m', 'my change',
        '-c', 'ENV GREETING="hello there" OTHER=1', '-c', 'LABEL stage=test', '-c', 'EXPOSE 8080/udp', '-c', 'WORKDIR /d',
        '-c', 'CMD ["sh", "-c", "echo $GREETING; pwd; cat a"]', '-c', 'STOPSIGNAL SIGINT', '-c', 'USER 0:0',
        'changed', 'localhost/committed:v1',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      const images = (await s.run(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout;
      expect(images).toContain('localhost/committed:v1');
      const run = await s.run(['run', '--rm', 'committed:v1']);
      expect(run.stdout).toBe('hello there\n/d\na\n');
      const files = await s.run(['run', '--rm', 'committed:v1', 'sh', '-c', 'ls /etc/group /home /var/old 2>&1; ls /var/fresh; tail -1 /etc/passwd']);
      expect(files.stdout).toContain('/etc/group: No such file or directory');
      expect(files.stdout).toContain('/home: No such file or directory');
      expect(files.stdout).toContain('/var/old: No such file or directory');
      expect(files.stdout).toContain('f\nx\n');
      const inspect = JSON.parse((await s.run(['image', 'inspect', 'committed:v1'])).stdout)[0];
      expect(inspect.Author).toBe('Jane <jane@example.com>');
      expect(inspect.Comment).toBe('my change');
      expect(inspect.Config).toMatchObject({ Labels: { stage: 'test' }, ExposedPorts: { '8080/udp': {} }, WorkingDir: '/d', StopSignal: 'SIGINT', User: '0:0' });
      expect(inspect.Config.Env).toContain('GREETING=hello there');
      expect(inspect.Config.Env.join(' ')).not.toMatch(/HOSTNAME=|container=selkie/);
      const base = JSON.parse((await s.run(['image', 'inspect', 'base'])).stdout)[0];
      expect(inspect.RootFS.Layers.slice(0, -1)).toEqual(base.RootFS.Layers);
      const history = (await s.run(['history', '--format', '{{.CreatedBy}}|{{.Comment}}', 'committed:v1'])).stdout.split('\n');
      expect(history[0]).toMatch(/^sh -c mkdir -p \/d\/sub .*\|my change$/);
    });

    it("takes the container's command and settings by default and commits an unchanged container as an empty layer", async () => {
      expect((await s.run(['create', '--name', 'plain', '-e', 'MODE=x', '-w', '/tmp', 'busybox', 'sh', '-c', 'echo $MODE; pwd'])).code).toBe(0);
      const r = await s.run(['commit', '-q', 'plain']);
      expect(r.code).toBe(0);
      const id = r.stdout.trim();
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      const inspect = JSON.parse((await s.run(['image', 'inspect', id])).stdout)[0];
      expect(inspect.RootFS.Layers.at(-1)).toBe('sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef'); // Docker's empty layer
      expect((await s.run(['run', '--rm', id])).stdout).toBe('x\n/tmp\n');
      expect((await s.run(['images', '-q', '--no-trunc'])).stdout).toContain(id);
    });

    it('commits a running container (paused meanwhile, running again after)', async () => {
      expect((await s.run(['run', '-d', '--name', 'live', 'busybox', 'sh', '-c', 'echo alive > /alive; sleep 600'])).code).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      const r = await s.run(['commit', 'live', 'localhost/fromlive']);
      expect(r.code).toBe(0);
      expect((await s.run(['inspect', '--format', '{{.State.Status}}', 'live'])).stdout).toBe('running\n');
      expect((await s.run(['run', '--rm', 'fromlive', 'cat', '/alive'])).stdout).toBe('alive\n');
      expect((await s.run(['commit', '--pause=false', 'live', 'localhost/fromlive2'])).code).toBe(0);
      expect((await s.run(['rm', '-f', 'live'])).code).toBe(0);
    });

    it('refuses bad --change input, ONBUILD in the OCI format and unknown containers, storing nothing', async () => {
      const before = (await s.run(['images', '-q'])).stdout;
      const bad = await s.run(['commit', '-c', 'RUN make', 'changed']);
      expect(bad.code).toBe(125);
      expect(bad.stderr).toContain('unsupported instruction "RUN"');
      expect((await s.run(['commit', '-c', 'CMD ["unterminated', 'changed'])).stderr).toContain('invalid JSON array');
      const onbuild = await s.run(['commit', '-c', 'ONBUILD RUN make', 'changed']);
      expect(onbuild.code).toBe(125);
      expect(onbuild.stderr).toContain('commit with --format docker');
      expect((await s.run(['commit', '--format', 'tar', 'changed'])).code).toBe(125);
      expect((await s.run(['commit', 'nobody', 'x'])).stderr).toContain('container "nobody" not found');
      expect((await s.run(['images', '-q'])).stdout).toBe(before);
      const docker = await s.run(['commit', '-q', '--format', 'docker', '-c', 'ONBUILD RUN make', 'changed', 'localhost/onbuild']);
      expect(docker.code).toBe(0);
      expect((await s.run(['image', 'inspect', '--format', '{{json .Config.OnBuild}}', 'onbuild'])).stdout).toBe('["RUN make"]\n');
    });
  });
}
