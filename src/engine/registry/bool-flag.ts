/** Parses Podman-style boolean flag values (`--tls-verify=false`) for commander options declared `--flag [bool]`. */
import { usageError } from '../errors.js';

export function parseBoolFlag(name: string): (value: string) => boolean {
  return (value: string) => {
    const v = value.toLowerCase();
    if (['true', '1', 't', 'yes'].includes(v)) return true;
    if (['false', '0', 'f', 'no'].includes(v)) return false;
    throw usageError(`invalid value ${JSON.stringify(value)} for --${name}`, `use --${name}=true or --${name}=false`);
  };
}
