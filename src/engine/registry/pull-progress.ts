/**
 * Podman-style pull progress on a terminal: "Trying to pull ...", "Copying blob sha256:... done",
 * "Writing manifest to image destination", with one self-overwriting line for the bytes in flight.
 */
import type { PullProgress } from './pull-types.js';

export function progressPrinter(stream: NodeJS.WriteStream): (p: PullProgress) => void {
  const inflight = new Map<string, { received: number; total: number }>();
  let statusShown = false;
  let lastDraw = 0;
  const line = (text: string) => {
    stream.write(`${statusShown ? '\r\x1b[K' : ''}${text}\n`);
    statusShown = false;
  };
  const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;
  return (p) => {
    switch (p.kind) {
      case 'resolving':
        return line(`Trying to pull ${p.reference}...`);
      case 'signatures':
        return line('Getting image source signatures');
      case 'present':
        return;
      case 'config':
        return line(`Copying config ${p.digest} done`);
      case 'writing-manifest':
        return line('Writing manifest to image destination');
      case 'blob': {
        if (p.state === 'skipped') return line(`Copying blob ${p.digest} skipped: already exists`);
        if (p.state === 'done') {
          inflight.delete(p.digest);
          return line(`Copying blob ${p.digest} done`);
        }
        inflight.set(p.digest, { received: p.received, total: p.total });
        const now = Date.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        let got = 0;
        let total = 0;
        for (const v of inflight.values()) {
          got += v.received;
          total += v.total;
        }
        stream.write(`\r\x1b[KCopying ${inflight.size} blob${inflight.size === 1 ? '' : 's'}: ${mib(got)} / ${mib(total)}`);
        statusShown = true;
        return;
      }
    }
  };
}
