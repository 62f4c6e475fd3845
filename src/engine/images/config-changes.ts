/**
 * Dockerfile-style `--change` instructions (import, commit): CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
 * USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD is refused.
 */
import type { ImageConfig } from '../types/image.js';
import { invalid } from '../errors.js';

type Cfg = NonNullable<ImageConfig['config']>;

export function applyChanges(config: Cfg, changes: readonly string[]): Cfg {
  const out: Cfg = structuredClone(config);
  for (const change of changes) applyOne(out, change);
  return out;
}

function applyOne(cfg: Cfg, change: string): void {
  const m = /^\s*(\w+)\s*(?:=\s*|\s+)?(.*)$/s.exec(change);
  if (!m) throw invalid(`invalid --change "${change}"`, 'use the form "INSTRUCTION ARGS", e.g. --change \'CMD ["sh"]\'');
  const instr = m[1]!.toUpperCase();
  const args = m[2]!.trim();
  switch (instr) {
    case 'CMD':
      cfg.Cmd = commandForm(args);
      return;
    case 'ENTRYPOINT':
      cfg.Entrypoint = commandForm(args);
      return;
    case 'ENV':
      for (const [k, v] of keyValues(args, change)) cfg.Env = [...(cfg.Env ?? []).filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
      return;
    case 'LABEL':
      for (const [k, v] of keyValues(args, change)) cfg.Labels = { ...(cfg.Labels ?? {}), [k]: v };
      return;
    case 'EXPOSE':
      for (const p of args.split(/\s+/).filter(Boolean)) {
        const port = p.includes('/') ? p : `${p}/tcp`;
        if (!/^\d+(-\d+)?\/(tcp|udp|sctp)$/.test(port)) throw invalid(`invalid port "${p}" in --change "${change}"`);
        cfg.ExposedPorts = { ...(cfg.ExposedPorts ?? {}), [port]: {} };
      }
      return;
    case 'USER':
      cfg.User = args;
      return;
    case 'WORKDIR':
      cfg.WorkingDir = args;
      return;
    case 'VOLUME':
      for (const v of args.startsWith('[') ? jsonArray(args, change) : args.split(/\s+/).filter(Boolean)) {
        cfg.Volumes = { ...(cfg.Volumes ?? {}), [v]: {} };
      }
      return;
    case 'STOPSIGNAL':
      cfg.StopSignal = args;
      return;
    default:
      throw invalid(`unsupported instruction "${instr}" in --change "${change}"`, 'supported: CMD ENTRYPOINT ENV EXPOSE LABEL USER WORKDIR VOLUME STOPSIGNAL');
  }
}

/** JSON form `["a","b"]` as is; shell form `a b` becomes ["/bin/sh","-c","a b"]. */
function commandForm(args: string): string[] {
  if (args.startsWith('[')) return jsonArray(args, args);
  return ['/bin/sh', '-c', args];
}

function jsonArray(args: string, change: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(args);
  } catch {
    throw invalid(`invalid JSON array in --change "${change}"`);
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalid(`expected a JSON array of strings in --change "${change}"`);
  return v;
}

/** `K=V K2="v 2"` or the legacy `K V` form. */
function keyValues(args: string, change: string): [string, string][] {
  if (!args.includes('=')) {
    const sp = args.search(/\s/);
    if (sp < 0) throw invalid(`missing value in --change "${change}"`);
    return [[args.slice(0, sp), args.slice(sp).trim()]];
  }
  const out: [string, string][] = [];
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args))) {
    let v = m[2]!;
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (v.startsWith("'")) v = v.slice(1, -1);
    out.push([m[1]!, v]);
  }
  return out;
}
