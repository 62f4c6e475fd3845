/**
 * The yaml library, loaded on first use: it is a quarter of the engine's code and only the
 * Kubernetes YAML commands need it (the build leaves it out of the bundles; Node loads it from
 * node_modules).
 */
import { createRequire } from 'node:module';

let lib: typeof import('yaml') | undefined;

export function yamlLib(): typeof import('yaml') {
  lib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return lib;
}
