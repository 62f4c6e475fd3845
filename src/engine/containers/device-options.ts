/**
 * `--device HOST[:CONTAINER][:PERMS]` and `--device-cgroup-rule "TYPE MAJOR:MINOR PERMS"`: checked at
 * create time, turned at start into OCI device nodes (the runtime creates them in the container's
 * /dev) and device-cgroup allow rules. A host directory adds every device node directly in it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';
import type { OciDevice, OciDeviceRule } from '../runtime/oci-types.js';

export interface DeviceMapping {
  pathOnHost: string;
  pathInContainer: string;
  /** Any of r, w, m; default rwm. */
  permissions: string;
}

const PERMS = /^[rwm]{1,3}$/;

export function parseDeviceFlag(value: string): DeviceMapping {
  const parts = value.split(':');
  if (parts.length > 3 || !parts[0]) throw invalid(`invalid --device "${value}"`, 'use --device /dev/HOST[:/dev/CONTAINER][:rwm]');
  const host = parts[0];
  let ctr = host;
  let perms = 'rwm';
  if (parts.length === 2) {
    if (PERMS.test(parts[1]!)) perms = parts[1]!;
    else ctr = parts[1]!;
  } else if (parts.length === 3) {
    ctr = parts[1]!;
    perms = parts[2]!;
  }
  if (!PERMS.test(perms)) throw invalid(`invalid --device "${value}": bad permissions "${perms}"`, 'permissions are any of r, w and m');
  if (!host.startsWith('/')) throw invalid(`invalid --device "${value}": ${host} is not an absolute path`);
  if (!ctr.startsWith('/')) throw invalid(`invalid --device "${value}": ${ctr} is not an absolute path in the container`);
  let st: fs.Stats;
  try {
    st = fs.statSync(host);
  } catch {
    throw invalid(`cannot add device ${host}: no such file on the host`, 'check the path, e.g. ls -l ' + host);
  }
  if (!st.isCharacterDevice() && !st.isBlockDevice() && !st.isDirectory()) throw invalid(`cannot add device ${host}: not a device node or a directory of them`);
  return { pathOnHost: host, pathInContainer: path.normalize(ctr), permissions: perms };
}

export function parseDeviceCgroupRule(value: string): OciDeviceRule {
  const m = /^([abc])\s+(\d+|\*):(\d+|\*)\s+([rwm]{1,3})$/.exec(value.trim());
  if (!m) throw invalid(`invalid --device-cgroup-rule "${value}"`, 'use "TYPE MAJOR:MINOR PERMS", e.g. "c 10:229 rwm" or "b 7:* rw"');
  return {
    allow: true,
    type: m[1] as 'a' | 'b' | 'c',
    ...(m[2] !== '*' ? { major: Number(m[2]) } : {}),
    ...(m[3] !== '*' ? { minor: Number(m[3]) } : {}),
    access: m[4]!,
  };
}

/** The device nodes and cgroup rules for the spec; reads the host's nodes now (they may have changed). */
export function resolveDevices(mappings: readonly DeviceMapping[]): { devices: OciDevice[]; rules: OciDeviceRule[] } {
  const devices: OciDevice[] = [];
  const rules: OciDeviceRule[] = [];
  const add = (host: string, ctr: string, perms: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(host);
    } catch {
      throw invalid(`cannot add device ${host}: it no longer exists on the host`, 'recreate the container without this --device');
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(host)) {
        const s = fs.statSync(path.join(host, e), { throwIfNoEntry: false });
        if (s && (s.isCharacterDevice() || s.isBlockDevice())) add(path.join(host, e), path.join(ctr, e), perms);
      }
      return;
    }
    if (!st.isCharacterDevice() && !st.isBlockDevice()) throw invalid(`cannot add device ${host}: not a device node`);
    const type = st.isCharacterDevice() ? 'c' : 'b';
    const major = Number((BigInt(st.rdev) >> 8n) & 0xfffn);
    const minor = Number((BigInt(st.rdev) & 0xffn) | ((BigInt(st.rdev) >> 12n) & 0xfff00n));
    devices.push({ path: ctr, type, major, minor, fileMode: st.mode & 0o777, uid: st.uid, gid: st.gid });
    rules.push({ allow: true, type, major, minor, access: perms });
  };
  for (const m of mappings) add(m.pathOnHost, m.pathInContainer, m.permissions);
  return { devices, rules };
}

/** --group-add values: group names (resolved at start in the image's /etc/group), GIDs, or keep-groups alone. */
export function checkGroupAdd(values: readonly string[]): string[] {
  const out = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (out.includes('keep-groups') && out.length > 1) throw invalid('--group-add keep-groups cannot be combined with other groups', 'give either keep-groups or a list of groups');
  for (const g of out) if (g !== 'keep-groups' && !/^\d+$/.test(g) && !/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(g)) throw invalid(`invalid --group-add "${g}"`, 'give a group name, a GID or keep-groups');
  return out;
}
