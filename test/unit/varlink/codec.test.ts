import { describe, expect, it } from 'vitest';
import { encodeMessage, isVarlinkCodecError, MessageDecoder } from '../../../src/engine/varlink/codec.js';

function codecError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isVarlinkCodecError(e)) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('varlink codec', () => {
  it('encodes a message as JSON and a NUL', () => {
    expect(encodeMessage({ method: 'a.B', parameters: { x: 'é' } }).toString('utf8')).toBe('{"method":"a.B","parameters":{"x":"é"}}\0');
  });

  it('decodes a message split across chunks, byte by byte, also inside a UTF-8 character', () => {
    const d = new MessageDecoder();
    const bytes = encodeMessage({ text: 'grüße ✓' });
    for (let i = 0; i < bytes.length - 1; i++) {
      d.push(bytes.subarray(i, i + 1));
      expect(d.next()).toBeUndefined();
    }
    d.push(bytes.subarray(bytes.length - 1));
    expect(d.next()).toEqual({ text: 'grüße ✓' });
    expect(d.next()).toBeUndefined();
    expect(d.pendingBytes).toBe(0);
  });

  it('hands out concatenated messages one at a time and keeps what follows', () => {
    const d = new MessageDecoder();
    d.push(Buffer.concat([encodeMessage({ n: 1 }), encodeMessage({ n: 2 }), Buffer.from('{"n":')]));
    expect(d.next()).toEqual({ n: 1 });
    expect(d.next()).toEqual({ n: 2 });
    expect(d.next()).toBeUndefined();
    d.push(Buffer.from('3}\0raw bytes'));
    expect(d.next()).toEqual({ n: 3 });
    expect(d.takeRemaining().toString()).toBe('raw bytes');
    expect(d.pendingBytes).toBe(0);
  });

  it('rejects malformed JSON and messages that are not objects', () => {
    const d = new MessageDecoder();
    d.push(Buffer.from('{"method": \0'));
    expect(codecError(() => d.next())).toMatch(/^malformed varlink message .*"\{\\"method\\": "$/);
    d.push(Buffer.from('[1,2]\0"text"\0null\0'));
    expect(codecError(() => d.next())).toContain('must be a JSON object');
    expect(codecError(() => d.next())).toContain('must be a JSON object');
    expect(codecError(() => d.next())).toContain('must be a JSON object');
  });

  it('stops a message larger than the limit as soon as it is seen, without waiting for its NUL', () => {
    const d = new MessageDecoder(1024);
    d.push(Buffer.alloc(1000, 0x20));
    expect(d.next()).toBeUndefined();
    expect(codecError(() => d.push(Buffer.alloc(100, 0x20)))).toBe('varlink message too large: 1100 bytes without a NUL terminator (limit 1024 bytes)');
  });

  it('allows many pipelined messages whose total exceeds the limit', () => {
    const d = new MessageDecoder(64);
    const batch = Buffer.concat(Array.from({ length: 20 }, (_, n) => encodeMessage({ n })));
    expect(batch.length).toBeGreaterThan(64);
    d.push(batch);
    const got = [];
    for (let m = d.next(); m; m = d.next()) got.push(m.n);
    expect(got).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('rejects a complete message over the limit', () => {
    const d = new MessageDecoder(16);
    expect(codecError(() => d.push(encodeMessage({ text: 'x'.repeat(40) })))).toContain('too large');
  });
});
