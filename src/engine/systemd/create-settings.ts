/**
 * The systemd-related settings of a new container, checked before anything is created (a bad value
 * is a one-line error and leaves nothing behind): --sdnotify, --restart, --log-driver, --cgroups,
 * --cidfile and the create command that `generate systemd --new` replays.
 */
import { usageError } from '../errors.js';
import type { ContainerCreateOptions } from '../types/container.js';
import { checkCidFileFree } from './cidfile.js';
import { parseCgroupsMode, type CgroupsMode } from './cgroups-mode.js';
import { resolveLogDriver, type LogDriver } from './log-driver.js';
import { parseRestartPolicy, type RestartPolicy } from './restart-policy.js';
import { resolveSdNotifyMode, takeNotifySocket, type SdNotifyMode } from './sd-notify.js';

export interface SystemdCreateSettings {
  sdNotifyMode: SdNotifyMode;
  restartPolicy: RestartPolicy;
  logDriver: LogDriver;
  cgroupsMode: CgroupsMode;
  createCommand?: string[];
}

export function systemdCreateSettings(opts: ContainerCreateOptions, runtimeName: string, notifySocket: string | undefined = takeNotifySocket()): SystemdCreateSettings {
  const restartPolicy = parseRestartPolicy(opts.restart);
  if (opts.autoRemove && restartPolicy.name !== 'no') {
    throw usageError(`the --rm option conflicts with --restart=${opts.restart}`, 'a container removed when it exits cannot be restarted: drop one of them');
  }
  if (opts.replace && !opts.name) throw usageError('--replace needs --name', 'name the container that should be replaced');
  const settings: SystemdCreateSettings = {
    sdNotifyMode: resolveSdNotifyMode(opts.sdnotify, notifySocket),
    restartPolicy,
    logDriver: resolveLogDriver(opts.logDriver),
    cgroupsMode: parseCgroupsMode(opts.cgroups, runtimeName),
    ...(opts.createCommand?.length ? { createCommand: opts.createCommand } : {}),
  };
  if (opts.cidFile) checkCidFileFree(opts.cidFile);
  return settings;
}
