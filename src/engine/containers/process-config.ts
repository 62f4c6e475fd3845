/** The container's process as Docker computes it from the image config and the command line. */
import type { ImageConfig } from '../types/image.js';
import { SelkieError } from '../errors.js';

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ProcessInput {
  command?: string[];
  entrypoint?: string[];
  env?: string[];
  hostEnv?: string[];
  workdir?: string;
  user?: string;
  tty?: boolean;
  hostname: string;
}

export interface ResolvedProcess {
  entrypoint: string[] | null;
  cmd: string[] | null;
  args: string[];
  env: string[];
  workdir: string;
  user: string;
}

export function resolveProcess(image: ImageConfig['config'] = {}, input: ProcessInput): ResolvedProcess {
  // --entrypoint replaces the image's entrypoint and drops its Cmd (Docker's rule).
  const entrypoint = input.entrypoint ?? image.Entrypoint ?? null;
  const cmd = input.command?.length ? input.command : input.entrypoint ? null : (image.Cmd ?? null);
  const args = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (args.length === 0) {
    throw new SelkieError('usage', 'no command specified: the image has no CMD or ENTRYPOINT', { hint: 'give a command after the image name' });
  }
  return {
    entrypoint,
    cmd,
    args,
    env: mergeEnv(image.Env ?? [], input),
    workdir: input.workdir || image.WorkingDir || '/',
    user: input.user ?? image.User ?? '',
  };
}

/** PATH default, the caller's (--env-host), the image's Env, HOSTNAME/TERM, then -e (later entries win, keys kept in first-seen order). */
function mergeEnv(imageEnv: string[], input: ProcessInput): string[] {
  const env = new Map<string, string>();
  const put = (e: string) => {
    const eq = e.indexOf('=');
    env.set(eq < 0 ? e : e.slice(0, eq), e);
  };
  put(DEFAULT_PATH);
  put('container=selkie');
  input.hostEnv?.forEach(put);
  imageEnv.forEach(put);
  put(`HOSTNAME=${input.hostname}`);
  if (input.tty) put('TERM=xterm');
  for (const e of input.env ?? []) {
    if (e.includes('=')) put(e);
    else if (process.env[e] !== undefined) put(`${e}=${process.env[e]}`); // `-e NAME` takes the caller's value
  }
  if (!env.has('HOME')) env.set('HOME', 'HOME=/root');
  return [...env.values()];
}
