import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../../src/engine/images/config-changes.js';

describe('--change instructions', () => {
  it('applies CMD and ENTRYPOINT in JSON and shell form', () => {
    expect(applyChanges({}, ['CMD ["sh", "-c", "echo"]']).Cmd).toEqual(['sh', '-c', 'echo']);
    expect(applyChanges({}, ['CMD echo hi']).Cmd).toEqual(['/bin/sh', '-c', 'echo hi']);
    expect(applyChanges({}, ['ENTRYPOINT ["/init"]']).Entrypoint).toEqual(['/init']);
  });
  it('sets ENV (both forms, quoted values, replacing earlier keys) and LABEL', () => {
    const c = applyChanges({ Env: ['A=1', 'B=2'] }, ['ENV A=3 C="x y"', 'ENV D four', 'LABEL org.x=1 "y"=2']);
    expect(c.Env).toEqual(['B=2', 'A=3', 'C=x y', 'D=four']);
    expect(c.Labels).toEqual({ 'org.x': '1', '"y"': '2' });
  });
  it('sets EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL', () => {
    const c = applyChanges({}, ['EXPOSE 80 53/udp', 'USER 1000:1000', 'WORKDIR /srv', 'VOLUME ["/data"]', 'STOPSIGNAL SIGINT']);
    expect(c.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(c.User).toBe('1000:1000');
    expect(c.WorkingDir).toBe('/srv');
    expect(c.Volumes).toEqual({ '/data': {} });
    expect(c.StopSignal).toBe('SIGINT');
  });
  it('does not modify its input', () => {
    const base = { Env: ['A=1'] };
    applyChanges(base, ['ENV A=2']);
    expect(base.Env).toEqual(['A=1']);
  });
  it('rejects unknown instructions and bad JSON with the change named', () => {
    expect(() => applyChanges({}, ['RUN make'])).toThrow(/unsupported instruction "RUN" in --change "RUN make"/);
    expect(() => applyChanges({}, ['CMD ["unclosed'])).toThrow(/invalid JSON array/);
    expect(() => applyChanges({}, ['EXPOSE http'])).toThrow(/invalid port "http"/);
  });
});
