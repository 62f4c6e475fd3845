import { describe, expect, it } from 'vitest';
import { copyPlan, renameEntries, splitCopyArg } from '../../../src/cli/output/copy-plan.js';

const file = (given: string) => ({ given, isDir: false, base: given.split('/').filter(Boolean).pop()! });
const dir = (given: string, base = 'src') => ({ given, isDir: true, base });
const missing = (given: string, parentIsDir = true) => ({ given, exists: false, isDir: false, parentIsDir });
const existingDir = (given: string) => ({ given, exists: true, isDir: true, parentIsDir: true });
const existingFile = (given: string) => ({ given, exists: true, isDir: false, parentIsDir: true });

describe("cp path rules (Docker's)", () => {
  it('copies a file to a new name, over a file, or into a directory', () => {
    expect(copyPlan(file('/a/f.txt'), missing('/out/g.txt'))).toEqual({ dir: '/out', name: 'g.txt' });
    expect(copyPlan(file('/a/f.txt'), existingFile('/out/g.txt'))).toEqual({ dir: '/out', name: 'g.txt' });
    expect(copyPlan(file('/a/f.txt'), existingDir('/out'))).toEqual({ dir: '/out', name: 'f.txt' });
    expect(copyPlan(file('/a/f.txt'), existingDir('/out/'))).toEqual({ dir: '/out', name: 'f.txt' });
    expect(copyPlan(file('f.txt'), missing('rel'))).toEqual({ dir: '.', name: 'rel' });
  });

  it('refuses a file into a directory that does not exist, or onto a path that needs one', () => {
    expect(() => copyPlan(file('/a/f.txt'), missing('/out/newdir/'))).toThrow('destination directory /out/newdir/ does not exist');
    expect(() => copyPlan(file('/a/f.txt'), existingFile('/out/g.txt/'))).toThrow('is not a directory');
    expect(() => copyPlan(file('/a/f.txt'), missing('/no/such/x', false))).toThrow('parent directory does not exist');
    expect(() => copyPlan(file('/a/f.txt/'), existingDir('/out'))).toThrow('source /a/f.txt/ is not a directory');
  });

  it('creates a missing directory destination with the content, nests into an existing one, copies content with /.', () => {
    expect(copyPlan(dir('/a/src'), missing('/out/new'))).toEqual({ dir: '/out', name: 'new' });
    expect(copyPlan(dir('/a/src'), existingDir('/out'))).toEqual({ dir: '/out', name: 'src' });
    expect(copyPlan(dir('/a/src/'), existingDir('/out'))).toEqual({ dir: '/out', name: 'src' });
    expect(copyPlan(dir('/a/src/.'), existingDir('/out'))).toEqual({ dir: '/out', name: '' });
    expect(copyPlan(dir('/a/src/.'), missing('/out/new'))).toEqual({ dir: '/out', name: 'new' });
    expect(copyPlan(dir('.', 'cwd'), existingDir('/out'))).toEqual({ dir: '/out', name: '' });
  });

  it('refuses a directory onto a file', () => {
    expect(() => copyPlan(dir('/a/src'), existingFile('/out/f'))).toThrow('cannot copy a directory to a file');
  });

  it('renames the entries of a tar that starts with the source name', () => {
    const toNew = renameEntries('src', 'new');
    expect(['src', 'src/a', 'src/sub/b', 'other/x'].map(toNew)).toEqual(['new', 'new/a', 'new/sub/b', null]);
    const contents = renameEntries('src', '');
    expect(['src', 'src/a', 'src/sub/b', 'srcx'].map(contents)).toEqual([null, 'a', 'sub/b', null]);
  });

  it('tells container paths from local ones', () => {
    expect(splitCopyArg('web:/etc/hosts')).toEqual({ container: 'web', path: '/etc/hosts' });
    expect(splitCopyArg('web:etc')).toEqual({ container: 'web', path: 'etc' });
    expect(splitCopyArg('/tmp/a:b')).toEqual({ path: '/tmp/a:b' });
    expect(splitCopyArg('./a:b')).toEqual({ path: './a:b' });
    expect(splitCopyArg('-')).toEqual({ path: '-' });
    expect(splitCopyArg('plain')).toEqual({ path: 'plain' });
  });
});
