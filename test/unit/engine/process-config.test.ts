import { describe, expect, it } from 'vitest';
import { resolveProcess } from '../../../src/engine/containers/process-config.js';

describe('container process from image config and flags', () => {
  const image = { Entrypoint: ['/entry'], Cmd: ['default'], Env: ['PATH=/img/bin', 'A=image'], WorkingDir: '/work', User: 'app' };
  it('combines the image entrypoint with the command line (Docker rules)', () => {
    expect(resolveProcess(image, { hostname: 'h' }).args).toEqual(['/entry', 'default']);
    expect(resolveProcess(image, { hostname: 'h', command: ['x', 'y'] }).args).toEqual(['/entry', 'x', 'y']);
    // --entrypoint drops the image's Cmd
    expect(resolveProcess(image, { hostname: 'h', entrypoint: ['/other'] }).args).toEqual(['/other']);
    expect(resolveProcess(image, { hostname: 'h', entrypoint: ['/other'], command: ['z'] }).args).toEqual(['/other', 'z']);
  });
  it('merges env: image over defaults, -e over image, NAME takes the caller value', () => {
    process.env.SELKIE_TEST_PASS = 'passed';
    const env = resolveProcess(image, { hostname: 'h', env: ['A=flag', 'SELKIE_TEST_PASS', 'SELKIE_UNSET_VAR'] }).env;
    expect(env).toContain('PATH=/img/bin');
    expect(env).toContain('A=flag');
    expect(env).not.toContain('A=image');
    expect(env).toContain('SELKIE_TEST_PASS=passed');
    expect(env.some((e) => e.startsWith('SELKIE_UNSET_VAR'))).toBe(false);
    expect(env).toContain('HOSTNAME=h');
    expect(env).toContain('HOME=/root');
  });
  it('--env-host: the caller\'s environment under the image\'s Env and -e', () => {
    const env = resolveProcess(image, { hostname: 'h', hostEnv: ['A=host', 'PATH=/host/bin', 'ONLY_HOST=1', 'B=host'], env: ['B=flag'] }).env;
    expect(env).toContain('ONLY_HOST=1');
    expect(env).toContain('A=image');
    expect(env).toContain('PATH=/img/bin');
    expect(env).toContain('B=flag');
    expect(env.filter((e) => e.startsWith('B='))).toEqual(['B=flag']);
  });
  it('takes workdir and user from flags, else the image, else defaults', () => {
    expect(resolveProcess(image, { hostname: 'h' })).toMatchObject({ workdir: '/work', user: 'app' });
    expect(resolveProcess({ Cmd: ['sh'] }, { hostname: 'h', workdir: '/x', user: '1' })).toMatchObject({ workdir: '/x', user: '1' });
    expect(resolveProcess({ Cmd: ['sh'] }, { hostname: 'h' })).toMatchObject({ workdir: '/', user: '' });
  });
  it('sets TERM with a tty', () => {
    expect(resolveProcess({ Cmd: ['sh'] }, { hostname: 'h', tty: true }).env).toContain('TERM=xterm');
  });
  it('fails clearly when there is no command at all', () => {
    expect(() => resolveProcess({}, { hostname: 'h' })).toThrow(/no command specified/);
  });
});
