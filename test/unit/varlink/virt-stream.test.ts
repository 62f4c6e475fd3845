import { describe, expect, it } from 'vitest';
import { encodeQuitFrame, encodeVirtFrame, VirtDest, VirtFrameDecoder } from '../../../src/engine/varlink/podman/virt-stream.js';

describe("Podman's framed stream after an upgrade", () => {
  it('writes the 8-byte header: destination, three zero bytes, big-endian length', () => {
    expect([...encodeVirtFrame(VirtDest.Stderr, 'abc')]).toEqual([2, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x62, 0x63]);
    expect([...encodeQuitFrame(258)]).toEqual([4, 0, 0, 0, 0, 0, 0, 4, 0, 0, 1, 2]);
    expect(encodeVirtFrame(VirtDest.Stdout, Buffer.alloc(70000)).readUInt32BE(4)).toBe(70000);
  });

  it('reads frames split across chunks and several in one chunk', () => {
    const wire = Buffer.concat([encodeVirtFrame(VirtDest.Stdin, 'hello'), encodeVirtFrame(VirtDest.HangUpFromClient, ''), encodeVirtFrame(VirtDest.Stdin, 'x')]);
    const d = new VirtFrameDecoder();
    const frames = [];
    for (let i = 0; i < wire.length; i += 3) frames.push(...d.push(wire.subarray(i, i + 3)));
    expect(frames.map((f) => [f.dest, f.data.toString()])).toEqual([[1, 'hello'], [5, ''], [1, 'x']]);
  });

  it('refuses a frame over the size limit', () => {
    const header = Buffer.from([1, 0, 0, 0, 0x7f, 0, 0, 0]);
    expect(() => new VirtFrameDecoder(1024).push(header)).toThrow('stream frame of 2130706432 bytes is over the limit of 1024');
  });
});
