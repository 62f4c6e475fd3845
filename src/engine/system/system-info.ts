/** `selkie info`: host, cgroups, runtime, conmon, storage and registries, gathered on demand. */
import fs from 'node:fs';
import os from 'node:os';
import type { SystemInfo, ComponentVersion } from '../types/system.js';
import { hostArch, hostOs } from '../util/host-platform.js';
import { cgroupControllers, cgroupLayout } from './cgroups.js';
import { rootlessHostInfo } from '../rootless/rootless-info.js';

export interface InfoInputs {
  graphRoot: string;
  runRoot: string;
  rootless: boolean;
  driver: string;
  /** Driver options in effect (overlay.mount_program). */
  graphOptions?: SystemInfo['store']['graphOptions'];
  databasePath: string;
  images: number;
  containers: { total: number; running: number; paused: number; stopped: number };
  ociRuntime: ComponentVersion;
  availableRuntimes: string[];
  conmon: ComponentVersion;
  cgroupManager: string;
  registries: { search: string[]; insecure: string[]; blocked: string[] };
  version: string;
}

export function systemInfo(i: InfoInputs): SystemInfo {
  const layout = cgroupLayout();
  return {
    host: {
      arch: hostArch(),
      os: hostOs(),
      hostname: os.hostname(),
      kernel: os.release(),
      distribution: distribution(),
      cpus: os.cpus().length,
      memTotal: os.totalmem(),
      memFree: os.freemem(),
      uptime: formatUptime(os.uptime()),
      cgroupVersion: layout,
      cgroupManager: i.cgroupManager,
      cgroupControllers: cgroupControllers(layout),
      ociRuntime: i.ociRuntime,
      availableRuntimes: i.availableRuntimes,
      conmon: i.conmon,
      security: {
        rootless: i.rootless,
        seccompEnabled: seccompEnabled(),
        selinuxEnabled: fs.existsSync('/sys/fs/selinux/enforce'),
        apparmorEnabled: readTrim('/sys/module/apparmor/parameters/enabled') === 'Y',
        capabilities: 'CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_NET_BIND_SERVICE,CAP_SETFCAP,CAP_SETGID,CAP_SETPCAP,CAP_SETUID,CAP_SYS_CHROOT',
      },
      // Rootless: idMappings, networkBackend, slirp4netns (as Podman's info).
      ...(i.rootless ? rootlessHostInfo() : {}),
    },
    store: {
      graphRoot: i.graphRoot,
      runRoot: i.runRoot,
      graphDriverName: i.driver,
      graphOptions: i.graphOptions ?? {},
      databasePath: i.databasePath,
      imageStore: { number: i.images },
      containerStore: { number: i.containers.total, running: i.containers.running, stopped: i.containers.stopped, paused: i.containers.paused },
    },
    registries: i.registries,
    version: { Version: i.version, NodeVersion: process.version },
  };
}

function distribution(): { distribution: string; version: string } {
  const text = readTrim('/etc/os-release') ?? '';
  const get = (k: string) => text.split('\n').find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1).replace(/^"|"$/g, '') ?? '';
  return { distribution: get('ID') || 'unknown', version: get('VERSION_ID') || 'unknown' };
}

function seccompEnabled(): boolean {
  const status = readTrim('/proc/self/status') ?? '';
  return /^Seccomp:/m.test(status);
}

function readTrim(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function formatUptime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = Math.floor(sec % 60);
  return `${h}h ${m}m ${s}s`;
}
