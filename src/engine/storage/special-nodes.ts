/**
 * Device nodes, fifos and overlay whiteouts. Node has no mknod(2), and a fork per node is slow
 * (~20 ms from a large Node process), so a layer's nodes are created together at its end by one
 * `tar -x` of a small archive holding only them; ownership, mode and times are then set here.
 * Their parents are real directories (the caller checks them just before).
 */
import fs from 'node:fs';
import tar from 'tar-stream';
import type { NodeSpec } from './apply-state.js';
import { runToolOk } from './host-tools.js';

export async function createNodes(root: string, nodes: ReadonlyMap<string, NodeSpec>): Promise<void> {
  if (nodes.size === 0) return;
  const archive = await packNodes(nodes);
  await runToolOk(
    'tar',
    ['-x', '-f', '-', '-C', root, '--no-same-owner', '--no-same-permissions', '--touch', '--no-overwrite-dir', '--warning=no-timestamp'],
    `creating ${nodes.size} device node(s) in ${root}`,
    { input: archive },
  );
  for (const [rel, n] of nodes) {
    const p = `${root}/${rel}`;
    fs.lchownSync(p, n.uid, n.gid);
    fs.chmodSync(p, n.mode); // after chown, which clears setuid/setgid; p is a node, not a symlink
    fs.lutimesSync(p, n.atime, n.mtime);
  }
}

function packNodes(nodes: ReadonlyMap<string, NodeSpec>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (b: unknown) => {
      chunks.push(b as Buffer);
    });
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  for (const [rel, n] of nodes) {
    pack.entry({ name: rel, type: n.type, mode: 0o600, devmajor: n.major, devminor: n.minor, uid: 0, gid: 0, size: 0 });
  }
  pack.finalize();
  return done;
}
