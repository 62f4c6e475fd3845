/** The registry access flags pull, push and `image inspect --remote` share, and their values. */
import type { Command } from 'commander';
import { parseBoolFlag } from '../../engine/registry/bool-flag.js';

export function addRegistryFlags(cmd: Command, helpPrefix = ''): Command {
  return cmd
    .option('--tls-verify [bool]', `${helpPrefix}require HTTPS and verify certificates (default: true unless the registry is insecure)`, parseBoolFlag('tls-verify'))
    .option('--cert-dir <dir>', `${helpPrefix}use the certificates in this directory (*.crt, *.cert, *.key)`)
    .option('--authfile <file>', `${helpPrefix}path of the authentication file`)
    .option('--creds <user:password>', `${helpPrefix}credentials for the registry`);
}

export function registryFlagValues(opts: Record<string, unknown>): { tlsVerify?: boolean; certDir?: string; authFile?: string; creds?: string } {
  return {
    tlsVerify: opts.tlsVerify as boolean | undefined,
    certDir: opts.certDir as string | undefined,
    authFile: opts.authfile as string | undefined,
    creds: opts.creds as string | undefined,
  };
}
