/**
 * The framed byte stream Podman 1.9 speaks on a connection upgraded by Attach/ExecContainer: every
 * frame is an 8-byte header (destination, three zero bytes, big-endian uint32 length) and the data.
 * Server → client: stdout, stderr, and quit with the exit code as a big-endian uint32.
 * Client → server: stdin, terminal resize (JSON {Width, Height}), and hang-up.
 */

export const VirtDest = {
  Stdout: 0,
  Stdin: 1,
  Stderr: 2,
  TerminalResize: 3,
  Quit: 4,
  HangUpFromClient: 5,
} as const;

export interface VirtFrame {
  dest: number;
  data: Buffer;
}

export function encodeVirtFrame(dest: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const header = Buffer.alloc(8);
  header[0] = dest;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** The quit frame: the exit code as a big-endian uint32. */
export function encodeQuitFrame(exitCode: number): Buffer {
  const code = Buffer.alloc(4);
  code.writeUInt32BE(exitCode >>> 0);
  return encodeVirtFrame(VirtDest.Quit, code);
}

/** Splits received bytes into frames; a frame may span chunks. */
export class VirtFrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {}

  push(chunk: Buffer): VirtFrame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: VirtFrame[] = [];
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUInt32BE(4);
      if (length > this.maxFrameBytes) throw new Error(`stream frame of ${length} bytes is over the limit of ${this.maxFrameBytes}`);
      if (this.buffer.length < 8 + length) break;
      frames.push({ dest: this.buffer[0]!, data: this.buffer.subarray(8, 8 + length) });
      this.buffer = this.buffer.subarray(8 + length);
    }
    return frames;
  }
}
