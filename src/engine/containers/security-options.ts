/**
 * `--security-opt` values as Docker and Podman accept them ("key=value" or the older "key:value"):
 * seccomp=unconfined|FILE, no-new-privileges[=true|false], label=disable|type:T|level:L|user:U|role:R|
 * filetype:T|nested, apparmor=PROFILE|unconfined, mask=PATH[:PATH...], unmask=ALL|PATH[:PATH...].
 * Parsed once at create time into what the container record keeps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';
import { loadSeccompProfile } from '../runtime/seccomp-profile.js';

export interface SecurityOptions {
  /** 'default' (built in), 'unconfined', or the absolute path of a Docker-format profile. */
  seccomp: string;
  noNewPrivileges: boolean;
  labelDisable: boolean;
  /** SELinux label parts (user, role, type, level, filetype); applied only where SELinux is enabled. */
  label: Record<string, string>;
  /** AppArmor profile name; applied only where AppArmor is enabled. */
  apparmor?: string;
  /** Paths added to / removed from the masked paths; unmask "ALL" removes every default one. */
  mask: string[];
  unmask: string[];
  /** The options as given, normalised to key=value (inspect's HostConfig.SecurityOpt). */
  display: string[];
}

const LABEL_KEYS = ['user', 'role', 'type', 'level', 'filetype'];
const supported = 'seccomp=unconfined|FILE, no-new-privileges, label=disable|type:…|level:…|user:…|role:…, apparmor=PROFILE, mask=PATHS, unmask=ALL|PATHS';

export function parseSecurityOptions(values: readonly string[] = [], cwd = process.cwd()): SecurityOptions {
  const out: SecurityOptions = { seccomp: 'default', noNewPrivileges: false, labelDisable: false, label: {}, mask: [], unmask: [], display: [] };
  for (const raw of values) {
    const v = raw.trim();
    if (v === 'no-new-privileges') {
      out.noNewPrivileges = true;
      out.display.push('no-new-privileges');
      continue;
    }
    const sep = /[=:]/.exec(v);
    if (!sep) throw invalid(`invalid --security-opt "${raw}"`, `use one of ${supported}`);
    const key = v.slice(0, sep.index);
    const value = v.slice(sep.index + 1);
    switch (key) {
      case 'no-new-privileges':
        if (value !== 'true' && value !== 'false') throw invalid(`invalid --security-opt "${raw}"`, 'use no-new-privileges, no-new-privileges=true or no-new-privileges=false');
        out.noNewPrivileges = value === 'true';
        if (out.noNewPrivileges) out.display.push('no-new-privileges');
        break;
      case 'seccomp':
        if (!value) throw invalid(`invalid --security-opt "${raw}": no seccomp profile given`, 'use seccomp=unconfined or seccomp=/path/to/profile.json');
        if (value === 'unconfined') out.seccomp = 'unconfined';
        else {
          const file = path.resolve(cwd, value);
          loadSeccompProfile(file); // bad input fails at create time, not at the first start
          out.seccomp = file;
        }
        out.display.push(`seccomp=${out.seccomp}`);
        break;
      case 'label':
        labelOption(out, value, raw);
        break;
      case 'apparmor':
        if (!value) throw invalid(`invalid --security-opt "${raw}": no AppArmor profile given`, 'use apparmor=PROFILE or apparmor=unconfined');
        out.apparmor = value;
        out.display.push(`apparmor=${value}`);
        break;
      case 'mask':
      case 'unmask': {
        const paths = value.split(':').filter(Boolean);
        if (!paths.length) throw invalid(`invalid --security-opt "${raw}": no path given`, `use ${key}=/proc/a:/proc/b`);
        for (const p of paths) if (!(key === 'unmask' && p === 'ALL') && !p.startsWith('/')) throw invalid(`invalid --security-opt "${raw}": ${p} is not an absolute path`);
        out[key].push(...paths);
        out.display.push(`${key}=${paths.join(':')}`);
        break;
      }
      default:
        throw invalid(`unsupported --security-opt "${raw}"`, `use one of ${supported}`);
    }
  }
  return out;
}

function labelOption(out: SecurityOptions, value: string, raw: string): void {
  if (value === 'disable') {
    out.labelDisable = true;
    out.display.push('label=disable');
    return;
  }
  if (value === 'nested') {
    out.display.push('label=nested');
    return;
  }
  const colon = value.indexOf(':');
  const k = colon > 0 ? value.slice(0, colon) : '';
  if (!LABEL_KEYS.includes(k) || colon === value.length - 1) {
    throw invalid(`invalid --security-opt "${raw}"`, 'use label=disable, label=nested or label=KEY:VALUE with KEY one of user, role, type, level, filetype');
  }
  out.label[k] = value.slice(colon + 1);
  out.display.push(`label=${value}`);
}

/** SELinux is enabled on this host (the same test as selinuxenabled(8)). */
export function selinuxEnabled(): boolean {
  try {
    return fs.readFileSync('/sys/fs/selinux/enforce', 'utf8').trim() !== '' && fs.statSync('/proc/self/attr/current').isFile();
  } catch {
    return false;
  }
}

/** AppArmor is enabled on this host. */
export function apparmorEnabled(): boolean {
  try {
    return fs.readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').trim() === 'Y';
  } catch {
    return false;
  }
}
