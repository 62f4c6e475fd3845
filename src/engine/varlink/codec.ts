/**
 * The varlink wire codec: every message is one JSON object followed by a NUL byte, over a stream
 * socket. The decoder takes chunks as they arrive (a message may be split across chunks, and one
 * chunk may hold several messages) and hands out one message at a time, so a caller can stop after
 * an `upgrade` call and take the raw bytes that follow.
 */

/** Default bound on one message (bytes before its NUL). */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const brand = Symbol.for('selkie.VarlinkCodecError');

/** The peer broke the framing: bad JSON, a message that is not an object, or one that is too large. */
export class VarlinkCodecError extends Error {
  readonly [brand] = true;
  constructor(message: string) {
    super(message);
    this.name = 'VarlinkCodecError';
  }
}

export function isVarlinkCodecError(e: unknown): e is VarlinkCodecError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
}

/** One message on the wire: its JSON and the terminating NUL. */
export function encodeMessage(message: object): Buffer {
  return Buffer.from(`${JSON.stringify(message)}\0`, 'utf8');
}

export class MessageDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of `chunks` already searched for a NUL without finding one. */
  private scanned = 0;

  constructor(private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  /** Append received bytes. Throws when the pending message already exceeds the limit. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.checkPendingSize();
  }

  /** Bytes received and not yet handed out. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * The next complete message, or undefined when none is complete yet. Throws VarlinkCodecError
   * for a message that is not valid JSON, not an object, or larger than the limit.
   */
  next(): Record<string, unknown> | undefined {
    const end = this.findNul();
    if (end < 0) {
      this.checkPendingSize();
      return undefined;
    }
    if (end > this.maxMessageBytes) throw this.tooLarge(end);
    const all = this.flatten();
    const text = all.subarray(0, end).toString('utf8');
    this.reset(all.subarray(end + 1));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new VarlinkCodecError(`malformed varlink message (${(e as Error).message}): ${preview(text)}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new VarlinkCodecError(`a varlink message must be a JSON object, got: ${preview(text)}`);
    }
    return value as Record<string, unknown>;
  }

  /** Offset of the first NUL, searching only bytes not searched before (no copying). */
  private findNul(): number {
    let offset = 0;
    for (const chunk of this.chunks) {
      if (offset + chunk.length > this.scanned) {
        const at = chunk.indexOf(0, Math.max(0, this.scanned - offset));
        if (at >= 0) return offset + at;
      }
      offset += chunk.length;
    }
    this.scanned = offset;
    return -1;
  }

  /** Everything received after the last message handed out (the raw stream after an upgrade). */
  takeRemaining(): Buffer {
    const rest = this.flatten();
    this.reset(Buffer.alloc(0));
    return rest;
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private reset(rest: Buffer): void {
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    this.scanned = 0;
  }

  /** Only the bytes before the first NUL count: complete pipelined messages may wait in the buffer. */
  private checkPendingSize(): void {
    if (this.buffered <= this.maxMessageBytes) return;
    const end = this.findNul();
    if (end < 0 || end > this.maxMessageBytes) throw this.tooLarge(end < 0 ? this.buffered : end);
  }

  private tooLarge(size: number): VarlinkCodecError {
    return new VarlinkCodecError(`varlink message too large: ${size} bytes without a NUL terminator (limit ${this.maxMessageBytes} bytes)`);
  }
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
