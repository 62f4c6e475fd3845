/**
 * Docker credential helpers (docker-credential-NAME) as docker-credential-helpers defines the protocol:
 * `get` and `erase` read the server on stdin; `store` reads {"ServerURL","Username","Secret"}; `list` prints
 * {server: username}. A missing credential is reported as "credentials not found in native keychain".
 */
import { spawnSync } from 'node:child_process';
import { SelkieError } from '../errors.js';

export interface HelperCredentials {
  username: string;
  password: string;
  identityToken?: string;
}

const NOT_FOUND = /credentials not found/i;

function helperProgram(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new SelkieError('invalid', `invalid credential helper name ${JSON.stringify(name)}`, {
      hint: 'a helper is named by the suffix of its docker-credential-NAME program',
    });
  }
  return `docker-credential-${name}`;
}

/** Runs the helper; undefined when it reports "credentials not found". */
function run(name: string, action: 'get' | 'store' | 'erase' | 'list', input: string, env: NodeJS.ProcessEnv): string | undefined {
  const program = helperProgram(name);
  const r = spawnSync(program, [action], { input, env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new SelkieError('missing-tool', `credential helper ${program} not found on this host`, {
        hint: `install ${program}, or remove "${name}" from credHelpers/credsStore or credential-helpers`,
      });
    }
    throw new SelkieError('auth', `credential helper ${program} ${action} failed: ${r.error.message}`);
  }
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) {
    if (NOT_FOUND.test(output)) return undefined;
    throw new SelkieError('auth', `credential helper ${program} ${action} failed: ${output || `exit status ${r.status}`}`);
  }
  return r.stdout ?? '';
}

export function helperGet(name: string, server: string, env: NodeJS.ProcessEnv = process.env): HelperCredentials | undefined {
  const out = run(name, 'get', server, env);
  if (out === undefined) return undefined;
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(out) as typeof parsed;
  } catch {
    throw new SelkieError('auth', `credential helper docker-credential-${name} get printed invalid JSON for ${server}`);
  }
  const username = typeof parsed.Username === 'string' ? parsed.Username : '';
  const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
  if (username === '' && secret === '') return undefined;
  if (username === '<token>') return { username: '', password: '', identityToken: secret };
  return { username, password: secret };
}

export function helperStore(name: string, server: string, username: string, secret: string, env: NodeJS.ProcessEnv = process.env): void {
  run(name, 'store', JSON.stringify({ ServerURL: server, Username: username, Secret: secret }), env);
}

/** Erases the server's credentials; false when the helper had none. */
export function helperErase(name: string, server: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return run(name, 'erase', server, env) !== undefined;
}

/** Servers the helper holds credentials for. */
export function helperList(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = run(name, 'list', '', env);
  if (!out) return [];
  try {
    return Object.keys(JSON.parse(out) as Record<string, string>);
  } catch {
    throw new SelkieError('auth', `credential helper docker-credential-${name} list printed invalid JSON`);
  }
}
