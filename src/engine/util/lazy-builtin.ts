/**
 * Node built-ins that take milliseconds to load (http + https + tls ~12 ms, zlib ~4 ms), loaded on
 * first use, so commands that never talk to a registry or touch gzip do not pay for them.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const zlibModule = (): typeof import('node:zlib') => load('node:zlib');
export const httpModule = (): typeof import('node:http') => load('node:http');
export const httpsModule = (): typeof import('node:https') => load('node:https');
export const tlsModule = (): typeof import('node:tls') => load('node:tls');
