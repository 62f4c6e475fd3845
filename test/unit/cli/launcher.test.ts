import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCHED_AS_ENV, takeLauncherArgv0 } from '../../../src/cli/launcher.js';

describe('takeLauncherArgv0 (the native launcher tells the entry how it was run)', () => {
  const argv1 = process.argv[1];
  afterEach(() => {
    process.argv[1] = argv1!;
    delete process.env[LAUNCHED_AS_ENV];
  });

  it('without the launcher: false, argv[1] untouched', () => {
    delete process.env[LAUNCHED_AS_ENV];
    expect(takeLauncherArgv0()).toBe(false);
    expect(process.argv[1]).toBe(argv1);
  });

  it('with it: the path it was run by becomes argv[1] (resolved like a #! script path), and leaves the environment', () => {
    process.env[LAUNCHED_AS_ENV] = 'bin/selkie';
    expect(takeLauncherArgv0()).toBe(true);
    expect(process.argv[1]).toBe(path.resolve('bin/selkie'));
    expect(process.env[LAUNCHED_AS_ENV]).toBeUndefined();
    process.env[LAUNCHED_AS_ENV] = '/usr/local/bin/selkie';
    expect(takeLauncherArgv0()).toBe(true);
    expect(process.argv[1]).toBe('/usr/local/bin/selkie');
  });
});
