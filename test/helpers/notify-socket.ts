/**
 * sd_notify test tools. Node cannot open unix datagram sockets, so:
 * - `listenNotify` runs a tiny python3 listener bound to a NOTIFY_SOCKET path, printing each
 *   datagram as a JSON line (what systemd would receive);
 * - `staticNotifySender` compiles (gcc -static) a small sender for inside containers — busybox has no
 *   systemd-notify and its nc cannot speak unix datagrams — which a test bind-mounts into busybox.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const listener = `
import json, os, socket, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o777)
print(json.dumps("LISTENING"), flush=True)
while True:
    data = s.recv(65536)
    print(json.dumps(data.decode(errors="replace")), flush=True)
`;

export interface NotifyListener {
  socket: string;
  /** Datagrams received so far. */
  messages: string[];
  /** Resolves once a datagram containing `text` arrived (rejects after `timeoutMs`). */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

export async function listenNotify(): Promise<NotifyListener> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-notify-'));
  const socket = path.join(dir, 'notify.sock');
  const child: ChildProcess = spawn('python3', ['-c', listener, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: string[] = [];
  const waiters: (() => void)[] = [];
  let buf = '';
  let ready: () => void;
  const listening = new Promise<void>((r) => (ready = r));
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const m = JSON.parse(buf.slice(0, nl)) as string;
      buf = buf.slice(nl + 1);
      if (m === 'LISTENING') ready();
      else messages.push(m);
      waiters.splice(0).forEach((w) => w());
    }
  });
  await listening;
  return {
    socket,
    messages,
    waitFor(text, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no notify message with ${text} within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs);
        const check = () => {
          const m = messages.find((x) => x.includes(text));
          if (m !== undefined) {
            clearTimeout(timer);
            resolve(m);
          } else waiters.push(check);
        };
        check();
      });
    },
    close() {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const senderSource = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
int main(int argc, char **argv) {
  const char *p = getenv("NOTIFY_SOCKET");
  if (!p || argc < 2) { fprintf(stderr, "usage: NOTIFY_SOCKET=PATH sd-send MESSAGE\\n"); return 2; }
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  strncpy(a.sun_path, p, sizeof(a.sun_path) - 1);
  if (sendto(fd, argv[1], strlen(argv[1]), 0, (struct sockaddr *)&a, sizeof(a)) < 0) { perror("sendto"); return 1; }
  return 0;
}
`;

/** A statically linked `sd-send MESSAGE` (to $NOTIFY_SOCKET) in `dir`; returns its path. */
export function staticNotifySender(dir: string): string {
  const src = path.join(dir, 'sd-send.c');
  const bin = path.join(dir, 'sd-send');
  fs.writeFileSync(src, senderSource);
  const r = spawnSync('cc', ['-static', '-O2', '-o', bin, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot build the static sd-send helper: ${r.stderr}`);
  return bin;
}
