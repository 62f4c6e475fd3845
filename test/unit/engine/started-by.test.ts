/** inspect's `Selkie` key: the login UID of a running container's main process (who started it). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostUserName, readLoginUid, startedBy } from '../../../src/engine/containers/started-by.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-started-by-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const proc = (pid: number, loginuid: string) => {
  fs.mkdirSync(path.join(dir, String(pid)), { recursive: true });
  fs.writeFileSync(path.join(dir, String(pid), 'loginuid'), loginuid);
};

describe('who started a container', () => {
  it('reads the login UID of the main process; the unset value means no login session', () => {
    proc(10, '0');
    proc(11, '4294967295');
    proc(12, 'garbage');
    expect(readLoginUid(10, dir)).toBe(0);
    expect(readLoginUid(11, dir)).toBeNull();
    expect(readLoginUid(12, dir)).toBeUndefined();
    expect(readLoginUid(13, dir)).toBeUndefined();
  });

  it('names the user from the host passwd file', () => {
    const passwd = path.join(dir, 'passwd');
    fs.writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n');
    expect(hostUserName(1000, passwd)).toBe('alice');
    expect(hostUserName(1001, passwd)).toBe('');
  });

  it('gives the key only for a running (or paused) container whose process is there', () => {
    proc(20, '0');
    expect(startedBy({ state: 'running', pid: 20 }, dir)).toEqual({ Selkie: { LoginUid: 0, LoginUser: 'root' } });
    expect(startedBy({ state: 'paused', pid: 11 }, dir)).toEqual({ Selkie: { LoginUid: null, LoginUser: '' } });
    expect(startedBy({ state: 'stopped', pid: 20 }, dir)).toEqual({});
    expect(startedBy({ state: 'running', pid: 99 }, dir)).toEqual({});
  });

  it('reads this very process as a running container would be read', () => {
    const mine = readLoginUid(process.pid);
    if (mine === undefined) return; // no audit support in this kernel
    expect(startedBy({ state: 'running', pid: process.pid }).Selkie?.LoginUid).toBe(mine);
  });
});
