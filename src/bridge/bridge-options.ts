/**
 * The bridge's options: `--root DIR --runroot DIR --storage-driver NAME --url URL --service-timeout S`,
 * else SELKIE_ROOT / SELKIE_RUNROOT / SELKIE_STORAGE_DRIVER / CONTAINER_HOST.
 */
import { usageError } from '../engine/errors.js';
import type { EngineConnectionOptions } from './engine-connection.js';

export function bridgeOptions(argv: string[], env: NodeJS.ProcessEnv): EngineConnectionOptions {
  const o: EngineConnectionOptions = {};
  if (env.SELKIE_ROOT) o.root = env.SELKIE_ROOT;
  if (env.SELKIE_RUNROOT) o.runRoot = env.SELKIE_RUNROOT;
  if (env.SELKIE_STORAGE_DRIVER) o.storageDriver = driver(env.SELKIE_STORAGE_DRIVER);
  if (env.CONTAINER_HOST) o.url = env.CONTAINER_HOST;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw usageError(`selkie-bridge: ${flag} needs a value`);
      return v;
    };
    if (flag === '--root') o.root = value();
    else if (flag === '--runroot') o.runRoot = value();
    else if (flag === '--storage-driver') o.storageDriver = driver(value());
    else if (flag === '--url') o.url = value();
    else if (flag === '--service-timeout') o.serviceTimeout = seconds(value());
    else throw usageError(`selkie-bridge: unknown argument "${argv[i]}"`, 'the bridge takes --root, --runroot, --storage-driver, --url and --service-timeout');
  }
  return o;
}

function driver(v: string): 'overlay' | 'vfs' {
  if (v !== 'overlay' && v !== 'vfs') throw usageError(`selkie-bridge: unknown storage driver "${v}" (overlay or vfs)`);
  return v;
}

function seconds(v: string): number {
  if (!/^\d+$/.test(v)) throw usageError(`selkie-bridge: invalid --service-timeout "${v}": expected whole seconds`);
  return Number(v);
}
