import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(() => {
  s = makeSelkieEnv({ storageDriver: 'vfs' });
});
afterAll(async () => s.cleanup());

describe('CLI frame', () => {
  it('prints Docker-style help with exit 0', async () => {
    const r = await s.run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:  selkie \[OPTIONS\] COMMAND/);
    expect(r.stdout).toContain('Management Commands:');
    expect(r.stdout).toMatch(/\n  run +Create and run a new container/);
    expect((await s.run(['help', 'run'])).stdout).toContain('Usage: selkie run [OPTIONS] IMAGE [COMMAND] [ARG...]');
    const runHelp = (await s.run(['run', '--help'])).stdout;
    expect(runHelp).toContain('--detach');
    expect(runHelp.match(/Usage:/g)).toHaveLength(1);
    expect((await s.run(['image'])).stdout).toContain('Usage:  selkie image COMMAND');
  });

  it('rejects an unknown command with a suggestion and exit 125', async () => {
    const r = await s.run(['imags']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^Error: unknown command "imags" for "selkie": did you mean "image" or "images"\?/);
    expect(r.stdout).toBe('');
    const sub = await s.run(['image', 'lss']);
    expect(sub.code).toBe(125);
    expect(sub.stderr).toContain('unknown command "lss" for "selkie image"');
  });

  it('rejects unknown flags and missing arguments with one line and exit 125, no stack trace', async () => {
    const r = await s.run(['ps', '--bogus']);
    expect(r.code).toBe(125);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown option '--bogus'");
    const m = await s.run(['rmi']);
    expect(m.code).toBe(125);
    expect(m.stderr).toContain("missing required argument 'image'");
    expect(m.stderr).not.toMatch(/\n\s+at /);
  });

  it('accepts global flags before and after the command', async () => {
    expect((await s.run(['--log-level', 'error', 'version', '--format', '{{.Client.Version}}'])).code).toBe(0);
    expect((await s.run(['version', '--log-level=error', '--format', '{{.Client.Version}}'])).code).toBe(0);
  });

  it('says plainly when the remote engine cannot be reached', async () => {
    const r = await s.run(['--url', 'unix:///run/x.sock', 'ps']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('cannot connect to the selkie service at unix:///run/x.sock');
    expect((await s.run(['ps', '--remote'])).code).toBe(125);
  });

  it('prints version with --format templates and json', async () => {
    const t = await s.run(['version', '--format', '{{.Client.Version}} {{.Engine.OCIRuntime.Name}}']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^\d+\.\d+\.\d+\S* (runc|crun)\n$/);
    const j = JSON.parse((await s.run(['version', '--format', 'json'])).stdout) as { Client: { NodeVersion: string }; Engine: { Conmon: { Version: string } } };
    expect(j.Client.NodeVersion).toBe(process.version);
    expect(j.Engine.Conmon.Version).toMatch(/conmon version/);
    expect((await s.run(['--version'])).stdout).toMatch(/^selkie version /);
    const plain = await s.run(['version']);
    expect(plain.stdout).toMatch(/Client:\n Version: +\S+/);
    expect(plain.stdout).toContain('OCI Runtime:');
  });

  it('reports a bad --format template as a usage error', async () => {
    const r = await s.run(['version', '--format', '{{.Client.Version']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^Error: .*template/);
  });

  it('prints info as YAML, as json, and through templates with Go field names', async () => {
    const y = await s.run(['info']);
    expect(y.code).toBe(0);
    expect(y.stdout).toContain(`graphRoot: ${s.root}`);
    const j = JSON.parse((await s.run(['info', '--format', 'json'])).stdout) as { store: { graphRoot: string; graphDriverName: string }; host: { cgroupVersion: string } };
    expect(j.store.graphRoot).toBe(s.root);
    expect(j.store.graphDriverName).toBe('vfs');
    expect(['v1', 'v2', 'hybrid']).toContain(j.host.cgroupVersion);
    expect((await s.run(['info', '--format', '{{.Store.GraphRoot}} {{.Host.OciRuntime.Name}}'])).stdout).toMatch(new RegExp(`^${s.root} (runc|crun)\n`));
  });
});
