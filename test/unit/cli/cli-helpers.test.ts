import { describe, expect, it } from 'vitest';
import { resolveCommand } from '../../../src/cli/command-list.js';
import { ago, humanSize } from '../../../src/cli/output/human.js';
import { humanDuration } from '../../../src/engine/util/human-duration.js';
import { parseTimeArg } from '../../../src/cli/output/time-arg.js';
import { suggest } from '../../../src/cli/suggest.js';
import { parseFilters } from '../../../src/cli/output/filters.js';

describe('command resolution', () => {
  it('resolves top-level aliases and management paths', () => {
    expect(resolveCommand(['images'])?.entry.path).toBe('image ls');
    expect(resolveCommand(['image', 'ls'])?.entry.module).toBe('images');
    expect(resolveCommand(['image', 'list'])?.entry.module).toBe('images');
    expect(resolveCommand(['ps'])?.entry.module).toBe('ps');
    expect(resolveCommand(['container', 'ls'])?.words).toBe(2);
    expect(resolveCommand(['run', 'busybox'])?.words).toBe(1);
    expect(resolveCommand(['nonsense'])).toBeUndefined();
  });
});

describe('suggestions', () => {
  it('suggests the closest commands', () => {
    expect(suggest('imags', ['images', 'image', 'info', 'inspect'])).toEqual(['image', 'images']);
    expect(suggest('rn', ['run', 'rm', 'rmi'])).toEqual(expect.arrayContaining(['run', 'rm']));
    expect(suggest('zzzzzzzz', ['run', 'ps'])).toEqual([]);
  });
});

describe('human output like Docker', () => {
  it('formats sizes with 3 significant digits and decimal units', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(976)).toBe('976B');
    expect(humanSize(2_130_000)).toBe('2.13MB');
    expect(humanSize(1_000_000_000)).toBe('1GB');
    expect(humanSize(123_456_789)).toBe('123MB');
  });
  it('formats durations as go-units does', () => {
    expect(humanDuration(0.5)).toBe('Less than a second');
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(59)).toBe('59 seconds');
    expect(humanDuration(60)).toBe('About a minute');
    expect(humanDuration(46 * 60)).toBe('46 minutes');
    expect(humanDuration(3600)).toBe('About an hour');
    expect(humanDuration(5 * 3600)).toBe('5 hours');
    expect(humanDuration(3 * 86400)).toBe('3 days');
    expect(humanDuration(20 * 86400)).toBe('2 weeks');
    expect(humanDuration(90 * 86400)).toBe('3 months');
    expect(humanDuration(800 * 86400)).toBe('2 years');
    expect(ago(100, 160)).toBe('About a minute ago');
  });
});

describe('--since/--until and --filter parsing', () => {
  it('parses RFC 3339, unix seconds and durations', () => {
    expect(parseTimeArg('2024-01-02T13:23:37Z', '--since')).toBe(Date.parse('2024-01-02T13:23:37Z'));
    expect(parseTimeArg('1700000000', '--since')).toBe(1_700_000_000_000);
    expect(parseTimeArg('10m', '--since', 1_000_000)).toBe(1_000_000 - 600_000);
    expect(parseTimeArg('1h30m', '--since', 10_000_000)).toBe(10_000_000 - 5_400_000);
    expect(() => parseTimeArg('yesterday', '--since')).toThrow(/invalid --since "yesterday"/);
  });
  it('groups filters by key', () => {
    expect(parseFilters(['label=a=1', 'label=b', 'status=running'])).toEqual({ label: ['a=1', 'b'], status: ['running'] });
    expect(() => parseFilters(['oops'])).toThrow(/invalid filter "oops"/);
  });
});
