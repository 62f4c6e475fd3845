import { describe, expect, it } from 'vitest';
import { commitConfig } from '../../../src/engine/images/commit-changes.js';

const container = {
  cmd: ['sh', '-c', 'echo hi'],
  entrypoint: null,
  env: ['PATH=/usr/bin:/bin', 'container=selkie', 'IMG=1', 'HOSTNAME=abc123', 'TERM=xterm', 'MINE=yes', 'HOME=/root'],
  workdir: '/srv',
  user: '',
  labels: { from: 'container' },
  stopSignal: 'SIGTERM',
  hostname: 'abc123',
};

describe('commit config', () => {
  it("starts from the image config with the container's command, env, workdir and labels", () => {
    const c = commitConfig({ Env: ['PATH=/usr/bin:/bin', 'IMG=1'], Labels: { from: 'image', keep: 'me' }, User: 'nobody', ExposedPorts: { '80/tcp': {} } }, container, [], 'oci');
    expect(c.Cmd).toEqual(['sh', '-c', 'echo hi']);
    expect(c.Entrypoint).toBeNull();
    // what the engine adds to every container (container=, HOSTNAME=, TERM=, HOME=/root) is left out
    expect(c.Env).toEqual(['PATH=/usr/bin:/bin', 'IMG=1', 'MINE=yes']);
    expect(c.WorkingDir).toBe('/srv');
    expect(c.User).toBe('nobody');
    expect(c.Labels).toEqual({ from: 'container', keep: 'me' });
    expect(c.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(c.StopSignal).toBeUndefined();
  });

  it('keeps an image HOME and a non-default stop signal', () => {
    const c = commitConfig({ Env: ['HOME=/root'] }, { ...container, stopSignal: 'SIGINT' }, [], 'oci');
    expect(c.Env).toContain('HOME=/root');
    expect(c.StopSignal).toBe('SIGINT');
  });

  it('applies --change instructions in JSON and shell form after the container settings', () => {
    const c = commitConfig({}, container, ['CMD ["/app", "--serve"]', 'ENTRYPOINT /init', 'ENV A=1 B="two words"', 'LABEL from=change', 'EXPOSE 53/udp', 'USER 1000:1000', 'WORKDIR /w', 'VOLUME /data /logs', 'STOPSIGNAL SIGQUIT'], 'oci');
    expect(c.Cmd).toEqual(['/app', '--serve']);
    expect(c.Entrypoint).toEqual(['/bin/sh', '-c', '/init']);
    expect(c.Env).toContain('B=two words');
    expect(c.Labels).toEqual({ from: 'change' });
    expect(c.ExposedPorts).toEqual({ '53/udp': {} });
    expect(c.User).toBe('1000:1000');
    expect(c.WorkingDir).toBe('/w');
    expect(c.Volumes).toEqual({ '/data': {}, '/logs': {} });
    expect(c.StopSignal).toBe('SIGQUIT');
  });

  it('takes ONBUILD triggers in the Docker format only, and refuses bad ones', () => {
    const c = commitConfig({}, container, ['ONBUILD RUN make', 'onbuild COPY . /src'], 'docker');
    expect(c.OnBuild).toEqual(['RUN make', 'COPY . /src']);
    expect(() => commitConfig({}, container, ['ONBUILD RUN make'], 'oci')).toThrow('ONBUILD is not supported by the OCI image format');
    expect(() => commitConfig({}, container, ['ONBUILD ONBUILD RUN x'], 'docker')).toThrow('not allowed as an ONBUILD trigger');
    expect(() => commitConfig({}, container, ['ONBUILD'], 'docker')).toThrow('ONBUILD needs an instruction');
    expect(() => commitConfig({}, container, ['RUN make'], 'oci')).toThrow('unsupported instruction "RUN"');
    expect(() => commitConfig({}, container, ['CMD ["a", 1]'], 'oci')).toThrow('JSON array of strings');
  });
});
