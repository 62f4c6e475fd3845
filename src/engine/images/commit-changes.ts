/**
 * The config of a committed image: the image's config with the container's process settings (as
 * Docker: Cmd, Entrypoint, Env, WorkingDir, User, Labels, StopSignal of the container), then the
 * `--change` instructions; ONBUILD (Docker format only) is handled here, the rest by config-changes.ts.
 */
import type { ImageConfig } from '../types/image.js';
import { invalid } from '../errors.js';
import { applyChanges } from './config-changes.js';

type Cfg = NonNullable<ImageConfig['config']> & { OnBuild?: string[] | null };

export interface ContainerProcessSettings {
  cmd: string[] | null;
  entrypoint: string[] | null;
  env: string[];
  workdir: string;
  user: string;
  labels: Record<string, string>;
  stopSignal?: string;
  hostname: string;
}

export function commitConfig(image: Cfg | undefined, c: ContainerProcessSettings, changes: readonly string[], format: 'oci' | 'docker'): Cfg {
  const base: Cfg = structuredClone(image ?? {});
  base.Cmd = c.cmd;
  base.Entrypoint = c.entrypoint;
  // What the engine adds to every container's environment is not the container's setting.
  const added = new Set(['container=selkie', `HOSTNAME=${c.hostname}`, 'HOME=/root', 'TERM=xterm']);
  base.Env = c.env.filter((e) => !added.has(e) || (image?.Env ?? []).includes(e));
  if (c.workdir) base.WorkingDir = c.workdir;
  if (c.user) base.User = c.user;
  const labels = { ...(base.Labels ?? {}), ...c.labels };
  if (Object.keys(labels).length) base.Labels = labels;
  if (c.stopSignal && c.stopSignal !== 'SIGTERM') base.StopSignal = c.stopSignal;
  const onBuild: string[] = [];
  const rest: string[] = [];
  for (const ch of changes) {
    const m = /^\s*onbuild\b\s*(.*)$/is.exec(ch);
    if (!m) rest.push(ch);
    else {
      const trigger = m[1]!.trim();
      if (!trigger) throw invalid(`ONBUILD needs an instruction in --change "${ch}"`, "e.g. --change 'ONBUILD RUN make'");
      if (/^(onbuild|from|maintainer)\b/i.test(trigger)) throw invalid(`${trigger.split(/\s/)[0]!.toUpperCase()} is not allowed as an ONBUILD trigger`);
      if (format !== 'docker') throw invalid(`ONBUILD is not supported by the OCI image format in --change "${ch}"`, 'commit with --format docker');
      onBuild.push(trigger);
    }
  }
  const out: Cfg = applyChanges(base, rest);
  if (onBuild.length) out.OnBuild = [...(out.OnBuild ?? []), ...onBuild];
  return out;
}
