/**
 * The CLI's own output, written to fds 1 and 2 directly. process.stdout/stderr cost a command several
 * ms the first time they are touched (Node builds a stream and loads its stream modules); most
 * commands print a line or a table and need none of that. Mixing with the streams is safe: Node
 * writes stdio synchronously on Linux (files, pipes and terminals), so nothing queued is overtaken.
 * A reader that went away (EPIPE) ends the command quietly, as SIGPIPE ends Go and C programs.
 */
import fs from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text);
  while (buf.length) {
    try {
      buf = buf.subarray(fs.writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1); // a non-blocking pipe that is full: wait for the reader
        continue;
      }
      if (code === 'EPIPE') process.exit(0);
      throw e;
    }
  }
}

export const writeStdout = (text: string): void => writeAll(1, text);
export const writeStderr = (text: string): void => writeAll(2, text);

/** The quiet end on EPIPE for commands that do use process.stdout (export, cp, save ...), hooked when it is first used. */
export function endQuietlyOnStdoutEpipe(): void {
  const desc = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (!desc?.get || !desc.configurable) {
    process.stdout.on('error', onError);
    return;
  }
  let hooked = false;
  Object.defineProperty(process, 'stdout', {
    ...desc,
    get() {
      const s = desc.get!.call(process) as NodeJS.WriteStream;
      if (!hooked) {
        hooked = true;
        s.on('error', onError);
      }
      return s;
    },
  });
}

function onError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(0);
}
