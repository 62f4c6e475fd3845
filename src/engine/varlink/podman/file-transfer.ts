/**
 * io.podman SendFile and ReceiveFile: raw file bytes over an upgraded connection, how a Podman 1.9
 * remote client moved archives to and from the service host (LoadImage, ImageSave...).
 * SendFile: the reply names the temporary file (file_handle); the client then writes `length`
 * bytes, and the service answers "PATH:" once they are stored. ReceiveFile: the reply gives the
 * file's length, then its bytes follow (and the file is deleted when asked).
 */
import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { upgradeReply, type CallInfo, type MethodHandler } from '../service.js';
import { podmanError } from './podman-errors.js';
import { removeServiceTempFile, serviceTempFile } from './image-transfer.js';

const notUpgraded = () => podmanError.errorOccurred('client must use upgraded connection to send files');

/** Copy exactly `length` bytes of the socket into `file`; rejects if the client leaves early. */
function receiveBytes(socket: Duplex, file: string, length: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { flags: 'w', mode: 0o600 });
    let left = length;
    const finish = (e?: Error) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      out.end(() => (e ? reject(e) : resolve()));
    };
    const onData = (chunk: Buffer) => {
      const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= part.length;
      if (!out.write(part)) {
        socket.pause();
        out.once('drain', () => socket.resume());
      }
      if (left === 0) finish();
    };
    const onClose = () => finish(new Error(`the client closed the connection with ${left} of ${length} bytes not sent`));
    out.once('error', (e) => {
      socket.destroy();
      finish(e);
    });
    socket.on('close', onClose);
    if (left === 0) return finish();
    socket.on('data', onData);
  });
}

export function fileTransferMethods(): Record<string, MethodHandler> {
  return {
    SendFile: async (p: { type: string; length: number }, call: CallInfo) => {
      if (!call.upgrade) throw notUpgraded();
      if (!Number.isSafeInteger(p.length) || p.length < 0) throw podmanError.errorOccurred(`length ${p.length} is not a byte count`);
      const file = serviceTempFile('varlink_send');
      return upgradeReply({ file_handle: file }, async (socket) => {
        try {
          await receiveBytes(socket, file, p.length);
        } catch (e) {
          removeServiceTempFile(file);
          throw e;
        }
        // The acknowledgement Podman's client waited for.
        await new Promise<void>((resolve) => socket.write(`${file}:`, () => resolve()));
      });
    },
    ReceiveFile: async (p: { path: string; delete: boolean }, call: CallInfo) => {
      if (!call.upgrade) throw notUpgraded();
      let size: number;
      let input: fs.ReadStream;
      try {
        const fd = fs.openSync(p.path, 'r');
        size = fs.fstatSync(fd).size;
        input = fs.createReadStream('', { fd });
      } catch (e) {
        throw podmanError.errorOccurred(`cannot read ${p.path} on the service host: ${(e as Error).message}`);
      }
      return upgradeReply({ len: size }, async (socket) => {
        await pipeline(input, socket, { end: false });
        if (p.delete) removeServiceTempFile(p.path);
      });
    },
  };
}
