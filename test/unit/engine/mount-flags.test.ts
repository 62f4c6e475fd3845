import { describe, expect, it } from 'vitest';
import { parseMountFlag, parseVolumeFlag } from '../../../src/engine/containers/mount-flags.js';

describe('-v and --mount for volumes', () => {
  it('reads named volumes with their options, nosuid/nodev by default', () => {
    expect(parseVolumeFlag('data:/var/lib/data')).toEqual({ type: 'volume', source: '', destination: '/var/lib/data', options: ['nosuid', 'nodev', 'rbind'], name: 'data', anonymous: false, noCopy: false });
    const ro = parseVolumeFlag('data:/d/:ro,nocopy,dev,Z');
    expect(ro).toMatchObject({ destination: '/d', options: ['ro', 'nosuid', 'rbind'], noCopy: true });
  });

  it('reads anonymous volumes', () => {
    expect(parseVolumeFlag('/scratch')).toMatchObject({ type: 'volume', name: '', anonymous: true, destination: '/scratch' });
    expect(parseMountFlag('type=volume,target=/x,volume-nocopy')).toMatchObject({ type: 'volume', name: '', anonymous: true, noCopy: true });
    expect(parseMountFlag('type=volume,src=v1,dst=/x,readonly')).toMatchObject({ name: 'v1', options: ['ro', 'nosuid', 'nodev', 'rbind'] });
  });

  it('refuses bad names, options and paths', () => {
    expect(() => parseVolumeFlag('bad*name:/x')).toThrow('invalid volume name "bad*name"');
    expect(() => parseVolumeFlag('data:/x:sideways')).toThrow('invalid option "sideways"');
    expect(() => parseVolumeFlag('data:relative')).toThrow('must be absolute');
    expect(() => parseVolumeFlag('relative')).toThrow('must be absolute');
    expect(() => parseVolumeFlag('a:b:c:d')).toThrow('invalid -v');
    expect(() => parseVolumeFlag('/tmp:/x:nocopy')).toThrow('invalid option "nocopy"');
    expect(() => parseMountFlag('type=volume,source=bad/name,target=/x')).toThrow('invalid volume name');
  });
});
