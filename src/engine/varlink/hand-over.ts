/**
 * After an `upgrade` reply the connection stops being varlink: the socket is handed to whoever
 * speaks the upgraded protocol. Bytes that arrived behind the reply (already read into the decoder)
 * are put back in front of the stream, and the socket stays paused until its new owner reads it
 * (a 'data' listener, pipe(), or for await), so not a byte is lost in between.
 */
import type { Socket } from 'node:net';

export function handOverSocket(socket: Socket, onData: (chunk: Buffer) => void, rest: Buffer): void {
  socket.off('data', onData);
  socket.pause();
  if (rest.length) socket.unshift(rest);
  // An explicitly paused stream does not resume when a 'data' listener is added: do it for the new owner.
  const onListener = (event: string | symbol) => {
    if (event !== 'data') return;
    socket.off('newListener', onListener);
    process.nextTick(() => socket.resume());
  };
  socket.on('newListener', onListener);
}
