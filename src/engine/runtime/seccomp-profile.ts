/**
 * Seccomp profiles: the Docker/Podman JSON format (`--security-opt seccomp=FILE`, and the shape of the
 * built-in default in seccomp-default.ts) and its resolution into the OCI `linux.seccomp` section for
 * one container: rules conditional on capabilities are kept or dropped by the container's bounding
 * set, rules conditional on architectures or a minimum kernel by the host's, and the architecture
 * list comes from the archMap entry of the host architecture.
 */
import fs from 'node:fs';
import os from 'node:os';
import { invalid } from '../errors.js';

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

export interface SeccompRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: SeccompArg[];
  includes?: { caps?: string[]; arches?: string[]; minKernel?: string };
  excludes?: { caps?: string[]; arches?: string[] };
}

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  /** Used as is when given (Docker's older form). */
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures: string[] }[];
  syscalls: SeccompRule[];
}

/** The OCI runtime spec's form. */
export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  syscalls: { names: string[]; action: string; errnoRet?: number; args?: SeccompArg[] }[];
}

const ACTIONS = ['SCMP_ACT_ALLOW', 'SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_TRAP', 'SCMP_ACT_TRACE', 'SCMP_ACT_LOG', 'SCMP_ACT_NOTIFY'];
const OPS = ['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ'];

/** Node's process.arch → Go's GOARCH (the names Docker-format profiles use in includes.arches). */
export function goArch(nodeArch: string = process.arch): string {
  return ({ x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', mips: 'mips', mipsel: 'mipsle', riscv64: 'riscv64', loong64: 'loong64' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

/** GOARCH → the libseccomp architecture constant of the native ABI. */
const NATIVE_ARCH: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64', '386': 'SCMP_ARCH_X86', arm64: 'SCMP_ARCH_AARCH64', arm: 'SCMP_ARCH_ARM',
  ppc64le: 'SCMP_ARCH_PPC64LE', s390x: 'SCMP_ARCH_S390X', mips64: 'SCMP_ARCH_MIPS64', mips64le: 'SCMP_ARCH_MIPSEL64',
  mips: 'SCMP_ARCH_MIPS', mipsle: 'SCMP_ARCH_MIPSEL', riscv64: 'SCMP_ARCH_RISCV64',
};

export interface ResolveInput {
  /** The container's bounding capabilities (CAP_ names). */
  capabilities: readonly string[];
  /** GOARCH; default the host's. */
  arch?: string;
  /** Kernel release such as "6.1.0"; default the host's. */
  kernel?: string;
}

/** The OCI seccomp section for one container. */
export function resolveSeccomp(profile: SeccompProfile, input: ResolveInput): OciSeccomp {
  const arch = input.arch ?? goArch();
  const kernel = input.kernel ?? os.release();
  const caps = new Set(input.capabilities);
  const applies = (r: SeccompRule): boolean => {
    const inc = r.includes ?? {};
    const exc = r.excludes ?? {};
    if (inc.caps?.length && !inc.caps.every((c) => caps.has(c))) return false;
    if (inc.arches?.length && !inc.arches.includes(arch)) return false;
    if (inc.minKernel && compareKernel(kernel, inc.minKernel) < 0) return false;
    if (exc.caps?.length && exc.caps.some((c) => caps.has(c))) return false;
    if (exc.arches?.length && exc.arches.includes(arch)) return false;
    return true;
  };
  const syscalls = profile.syscalls.filter(applies).map((r) => ({
    names: [...r.names],
    action: r.action,
    ...(r.action === 'SCMP_ACT_ERRNO' && r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}),
    ...(r.args?.length ? { args: r.args.map((a) => ({ index: a.index, value: a.value, ...(a.valueTwo ? { valueTwo: a.valueTwo } : {}), op: a.op })) } : {}),
  }));
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    ...architectures(profile, arch),
    syscalls,
  };
}

function architectures(profile: SeccompProfile, arch: string): { architectures?: string[] } {
  if (profile.architectures?.length) return { architectures: [...profile.architectures] };
  const native = NATIVE_ARCH[arch];
  const entry = profile.archMap?.find((a) => a.architecture === native);
  if (!native || !profile.archMap) return {};
  return { architectures: [native, ...(entry?.subArchitectures ?? [])] };
}

function compareKernel(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((n) => parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length, 2); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Reads and checks a Docker-format profile file (`--security-opt seccomp=FILE`). */
export function loadSeccompProfile(file: string): SeccompProfile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid(`cannot read seccomp profile ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'give the path of a JSON seccomp profile, or seccomp=unconfined');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(`seccomp profile ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseSeccompProfile(json, file);
}

/** Validates the Docker format; `name` names the profile in errors. */
export function parseSeccompProfile(json: unknown, name: string): SeccompProfile {
  const bad = (what: string) => invalid(`seccomp profile ${name}: ${what}`, 'see the Docker seccomp profile format (defaultAction, archMap, syscalls)');
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('not a JSON object');
  const o = json as Record<string, unknown>;
  const action = (v: unknown, where: string): string => {
    if (typeof v !== 'string' || !ACTIONS.includes(v)) throw bad(`${where}: unknown action ${JSON.stringify(v)} (one of ${ACTIONS.join(', ')})`);
    return v;
  };
  const num = (v: unknown, where: string): number | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`${where} must be a non-negative integer`);
    return v;
  };
  const strings = (v: unknown, where: string): string[] | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw bad(`${where} must be a list of strings`);
    return v as string[];
  };
  const defaultAction = action(o.defaultAction, 'defaultAction');
  const syscallsIn = o.syscalls ?? [];
  if (!Array.isArray(syscallsIn)) throw bad('syscalls must be a list');
  const syscalls = syscallsIn.map((s: unknown, i): SeccompRule => {
    if (!s || typeof s !== 'object') throw bad(`syscalls[${i}] is not an object`);
    const r = s as Record<string, unknown>;
    const names = strings(r.names, `syscalls[${i}].names`) ?? (typeof r.name === 'string' ? [r.name] : undefined);
    if (!names?.length) throw bad(`syscalls[${i}] names no system call`);
    const args = r.args === undefined || r.args === null ? undefined : r.args;
    if (args !== undefined && !Array.isArray(args)) throw bad(`syscalls[${i}].args must be a list`);
    const inc = (r.includes ?? {}) as Record<string, unknown>;
    const exc = (r.excludes ?? {}) as Record<string, unknown>;
    return {
      names,
      action: action(r.action, `syscalls[${i}].action`),
      ...(num(r.errnoRet, `syscalls[${i}].errnoRet`) !== undefined ? { errnoRet: r.errnoRet as number } : {}),
      ...(args?.length
        ? {
            args: (args as Record<string, unknown>[]).map((a, j) => {
              const where = `syscalls[${i}].args[${j}]`;
              if (typeof a?.op !== 'string' || !OPS.includes(a.op)) throw bad(`${where}.op must be one of ${OPS.join(', ')}`);
              return { index: num(a.index, `${where}.index`) ?? 0, value: num(a.value, `${where}.value`) ?? 0, valueTwo: num(a.valueTwo, `${where}.valueTwo`) ?? 0, op: a.op };
            }),
          }
        : {}),
      includes: { caps: strings(inc.caps, `syscalls[${i}].includes.caps`), arches: strings(inc.arches, `syscalls[${i}].includes.arches`), minKernel: typeof inc.minKernel === 'string' ? inc.minKernel : undefined },
      excludes: { caps: strings(exc.caps, `syscalls[${i}].excludes.caps`), arches: strings(exc.arches, `syscalls[${i}].excludes.arches`) },
    };
  });
  const archMapIn = o.archMap;
  if (archMapIn !== undefined && archMapIn !== null && !Array.isArray(archMapIn)) throw bad('archMap must be a list');
  return {
    defaultAction,
    ...(num(o.defaultErrnoRet, 'defaultErrnoRet') !== undefined ? { defaultErrnoRet: o.defaultErrnoRet as number } : {}),
    ...(strings(o.architectures, 'architectures')?.length ? { architectures: o.architectures as string[] } : {}),
    ...(Array.isArray(archMapIn)
      ? {
          archMap: archMapIn.map((a: Record<string, unknown>, i) => ({
            architecture: String(a?.architecture ?? ''),
            subArchitectures: strings(a?.subArchitectures, `archMap[${i}].subArchitectures`) ?? [],
          })),
        }
      : {}),
    syscalls,
  };
}
