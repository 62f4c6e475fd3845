/**
 * Docker's --sig-proxy (on by default for attached runs): SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGUSR1/2 received by the CLI are sent on to the container instead of killing the CLI.
 */
import type { Engine } from '../../engine/engine.js';

const proxied: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export function proxySignals(engine: Engine, id: string): () => void {
  const handler = (sig: NodeJS.Signals) => {
    engine.containers.kill(id, sig).catch(() => {});
  };
  for (const s of proxied) process.on(s, handler);
  return () => {
    for (const s of proxied) process.off(s, handler);
  };
}
