/**
 * Process entry of the Cockpit bridge (bundled to dist/bridge/selkie-bridge.cjs). Cockpit spawns it
 * for the page: requests on stdin, answers on stdout (JSON lines, see README.md), diagnostics on
 * stderr. It exits when the page closes the channel (stdin ends).
 */
import { describeError } from '../engine/errors.js';
import { encodeLine } from './json-lines.js';
import { DEFAULT_CAPABILITIES } from '../engine/runtime/capabilities.js';
import { SELKIE_VERSION } from '../engine/version.js';
import { bridgeOptions } from './bridge-options.js';
import { BridgeServer, errorPayload } from './bridge-server.js';
import { connectEngine } from './engine-connection.js';
import { allMethods } from './methods/all-methods.js';

async function main(): Promise<void> {
  // stdout is the protocol: anything a library prints goes to stderr instead.
  console.log = console.info = console.debug = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  let connected: Awaited<ReturnType<typeof connectEngine>>;
  try {
    connected = await connectEngine({ ...bridgeOptions(process.argv.slice(2), process.env), debug: log });
  } catch (e) {
    // The page shows this (an empty state saying how to start the service) instead of a dead channel.
    process.stdout.write(encodeLine({ notify: 'failed', params: errorPayload(e) }));
    throw e;
  }
  const { engine, identity } = connected;
  const server = new BridgeServer({
    engine,
    methods: allMethods,
    write: (line) => process.stdout.write(line),
    hello: { version: SELKIE_VERSION, uid: identity.uid, defaultCapabilities: [...DEFAULT_CAPABILITIES], engine: identity },
    log,
  });
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => server.receive(chunk));
  await new Promise<void>((resolve) => process.stdin.on('end', resolve).on('close', resolve));
  server.close();
  await server.drain();
  await engine.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`selkie-bridge: ${describeError(e)}\n`);
    process.exit(1);
  },
);
