import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUser } from '../../../src/engine/containers/user-lookup.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-users-'));
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:App:/home/app:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nstaff:x:50:app\napps:x:1001:\nwheel:x:10:root\n');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('-u user[:group] resolution in the image', () => {
  it('defaults to root with its supplementary groups', () => {
    expect(resolveUser(root, '')).toEqual({ uid: 0, gid: 0, additionalGids: [10], home: '/root' });
  });
  it('resolves names to IDs, with groups the user is a member of', () => {
    expect(resolveUser(root, 'app')).toEqual({ uid: 1000, gid: 1001, additionalGids: [50], home: '/home/app' });
  });
  it('accepts numeric IDs, also unknown ones', () => {
    expect(resolveUser(root, '1000')).toMatchObject({ uid: 1000, gid: 1001 });
    expect(resolveUser(root, '4242:4343')).toMatchObject({ uid: 4242, gid: 4343, additionalGids: [] });
  });
  it('resolves an explicit group by name and --group-add', () => {
    expect(resolveUser(root, 'app:staff')).toMatchObject({ gid: 50 });
    expect(resolveUser(root, 'app', ['wheel']).additionalGids).toEqual([50, 10]);
  });
  it('names the missing user or group', () => {
    expect(() => resolveUser(root, 'nobody')).toThrow(/unable to find user nobody/);
    expect(() => resolveUser(root, 'app:nogroup')).toThrow(/unable to find group nogroup/);
  });
});
