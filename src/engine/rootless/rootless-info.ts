/**
 * What `info` adds for a rootless user, as Podman shows it: the user namespace's ID mappings
 * (host.idMappings.uidmap/gidmap) and the network tool (host.networkBackend: slirp4netns, or none
 * when it cannot run here; host.slirp4netns: the program).
 */
import { spawnSync } from 'node:child_process';
import { which } from '../util/which.js';
import { idMappings, type IdMap } from './pause-process.js';
import { rootlessDefaultNetwork } from './slirp.js';

export interface RootlessHostInfo {
  idMappings: { uidmap: IdMap[]; gidmap: IdMap[] };
  networkBackend: string;
  slirp4netns: { executable: string; package: string; version: string };
}

export function rootlessHostInfo(): RootlessHostInfo {
  const m = idMappings();
  const exe = which('slirp4netns') ?? '';
  let version = '';
  if (exe) {
    const r = spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 5000 });
    version = (r.stdout ?? '').trim().split('\n').slice(0, 2).join('\n');
  }
  return {
    idMappings: { uidmap: m.UIDMap, gidmap: m.GIDMap },
    // What a container gets by default: slirp4netns needs /dev/net/tun usable by the user.
    networkBackend: rootlessDefaultNetwork(),
    slirp4netns: { executable: exe, package: exe ? 'slirp4netns' : '', version },
  };
}
