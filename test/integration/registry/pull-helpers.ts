/** Shared by the registry tests: a private selkie env whose registry configuration and auth file are empty. */
import fs from 'node:fs';
import path from 'node:path';
import { makeSelkieEnv, type RunResult, type SelkieEnv } from '../../helpers/selkie-cli.js';

export interface PullEnv extends SelkieEnv {
  authFile: string;
  registriesConf: string;
  /** Runs selkie with the isolated registries.conf and auth file (plus `env`). */
  sk(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<RunResult>;
  /** Image IDs in the store. */
  imageIds(): Promise<string[]>;
  /** Layer directories in the storage driver (64-hex names). */
  layerDirs(): string[];
}

export function makePullEnv(registriesConf = ''): PullEnv {
  const s = makeSelkieEnv({ storageDriver: 'overlay' });
  const base = path.dirname(s.root);
  const authFile = path.join(base, 'auth.json');
  const conf = path.join(base, 'registries.conf');
  fs.writeFileSync(authFile, '{"auths":{}}\n');
  fs.writeFileSync(conf, registriesConf || '# empty\n');
  const env = { REGISTRY_AUTH_FILE: authFile, CONTAINERS_REGISTRIES_CONF: conf, XDG_CONFIG_HOME: path.join(base, 'config') };
  const p = s as PullEnv;
  p.authFile = authFile;
  p.registriesConf = conf;
  p.sk = (args, o = {}) => s.run(args, { ...o, env: { ...env, ...o.env } });
  p.imageIds = async () => (await p.sk(['images', '-q', '--no-trunc'])).stdout.split('\n').filter(Boolean);
  p.layerDirs = () => {
    const dirs: string[] = [];
    for (const d of ['overlay', 'vfs']) {
      try {
        dirs.push(...fs.readdirSync(path.join(s.root, d)).filter((n) => /^[0-9a-f]{64}$/.test(n)));
      } catch {
        /* none */
      }
    }
    return dirs;
  };
  return p;
}

/** Requests the debug log shows the client making ("GET http://... → 200"). */
export const requestLines = (stderr: string): string[] => stderr.split('\n').filter((l) => /^DEBU (GET|HEAD|POST) /.test(l));
