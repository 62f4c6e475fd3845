/** `generate systemd --new` for pods: the pod create a pod unit replays, and the units' Exec lines. */
import { describe, expect, it } from 'vitest';
import { newPodCreateCommand } from '../../../src/engine/systemd/pod-create-command.js';
import { newRunCommand } from '../../../src/engine/systemd/create-command.js';
import { containerUnit, podUnit, podUnitFiles, type UnitContext } from '../../../src/engine/systemd/unit-generator.js';
import { execArgv, parseUnit, values } from '../../helpers/unit-file.js';

const files = podUnitFiles('pod-web');
const ctx: UnitContext = { executable: '/usr/bin/selkie', globalArgs: [], version: '0.1.0', runRoot: '/run/selkie', now: new Date(0) };

describe('the pod create of a --new pod unit', () => {
  it('keeps global flags and options, replaces the ones the unit owns, adds --replace for a named pod', () => {
    const r = newPodCreateCommand(
      ['/usr/bin/selkie', '--root', '/r', 'pod', 'create', '--name', 'web', '--pod-id-file', '/old', '--infra-conmon-pidfile=/old.pid', '--exit-policy', 'continue', '--replace', '-p', '8080:80', '--label', 'a=b c'],
      files,
    );
    expect(files).toEqual({ pidFile: '%t/pod-web.pid', podIdFile: '%t/pod-web.pod-id' });
    expect(r.global).toEqual(['--root', '/r']);
    expect(r.create).toEqual(['pod', 'create', '--infra-conmon-pidfile', '%t/pod-web.pid', '--pod-id-file', '%t/pod-web.pod-id', '--exit-policy=stop', '--name', 'web', '-p', '8080:80', '--label', 'a=b c', '--replace']);
    // Without a name there is nothing to replace.
    expect(newPodCreateCommand(['selkie', 'pod', 'create', '--share', 'net'], files).create.slice(-3)).toEqual(['--exit-policy=stop', '--share', 'net']);
    expect(newPodCreateCommand(['selkie', 'pod', 'create', '-n', 'x'], files).create.at(-1)).toBe('--replace');
  });

  it('refuses a pod that was not made by pod create', () => {
    expect(() => newPodCreateCommand(['selkie', 'run', '--pod', 'new:x', 'img'], files)).toThrow(/does not appear to be made by pod create/);
    expect(() => newPodCreateCommand([], files)).toThrow(/create command is: none/);
  });

  it("a member's run joins the pod by the pod unit's ID file instead of --pod", () => {
    const run = newRunCommand(['selkie', 'create', '--pod', 'web', '--name', 'a', '--pod-id-file=/x', 'img', 'sh'], { name: 'a', podIdFile: files.podIdFile });
    expect(run.run).toEqual(['run', '--cidfile=%t/%n.ctr-id', '--cgroups=no-conmon', '--rm', '--pod-id-file', '%t/pod-web.pod-id', '--sdnotify=conmon', '-d', '--replace', '--name', 'a']);
    expect(run.image).toEqual(['img', 'sh']);
  });
});

describe('--new pod units', () => {
  const infra = { id: 'i'.repeat(64), name: 'web-infra', stopTimeout: 5, conmonPidFile: '/run/x/conmon.pid' };
  const pod = podUnit({ id: 'p'.repeat(64), name: 'web', infra, createCommand: ['/usr/bin/selkie', 'pod', 'create', '--name', 'web', '--label', 'x=50%'] }, ['container-a'], { new: true, useName: true }, ctx);
  const member = containerUnit({ ...infra, name: 'a', createCommand: ['/usr/bin/selkie', 'run', '--pod', 'web', '--name', 'a', 'img'] }, { new: true, useName: true }, ctx, pod.name);

  it('the pod unit creates, starts, stops and removes the pod by its ID file; PIDFile is the infra conmon', () => {
    const u = parseUnit(pod.text);
    expect(values(u, 'Service', 'Type')).toEqual(['forking']);
    expect(values(u, 'Service', 'PIDFile')).toEqual(['%t/pod-web.pid']);
    expect(values(u, 'Service', 'TimeoutStopSec')).toEqual(['65']);
    const pre = values(u, 'Service', 'ExecStartPre');
    expect(pre[0]).toBe('/bin/rm -f %t/pod-web.pid %t/pod-web.pod-id');
    // Specifiers of the unit stay; a % of the user's is escaped.
    expect(execArgv(pre[1]!, { t: '/run/u', n: 'pod-web.service' })).toEqual([
      '/usr/bin/selkie', 'pod', 'create', '--infra-conmon-pidfile', '/run/u/pod-web.pid', '--pod-id-file', '/run/u/pod-web.pod-id', '--exit-policy=stop', '--name', 'web', '--label', 'x=50%', '--replace',
    ]);
    expect(values(u, 'Service', 'ExecStart')).toEqual(['/usr/bin/selkie pod start --pod-id-file %t/pod-web.pod-id']);
    expect(values(u, 'Service', 'ExecStop')).toEqual(['/usr/bin/selkie pod stop --ignore --pod-id-file %t/pod-web.pod-id -t 5']);
    expect(values(u, 'Service', 'ExecStopPost')).toEqual(['/usr/bin/selkie pod rm --ignore -f --pod-id-file %t/pod-web.pod-id']);
    expect(values(u, 'Unit', 'Wants')).toEqual(['network-online.target', 'container-a.service']);
  });

  it("a member's unit binds to the pod unit and runs in its pod", () => {
    const u = parseUnit(member.text);
    expect(values(u, 'Unit', 'BindsTo')).toEqual(['pod-web.service']);
    expect(values(u, 'Service', 'ExecStart')).toEqual([
      '/usr/bin/selkie run --cidfile=%t/%n.ctr-id --cgroups=no-conmon --rm --pod-id-file %t/pod-web.pod-id --sdnotify=conmon -d --replace --name a img',
    ]);
  });
});
