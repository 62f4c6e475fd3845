/**
 * `commit`: a container's changes (container-diff.ts) become a new layer on top of its image's
 * layers, and a new image with the container's settings, --change applied and a history entry.
 * The layer tar (whiteouts for deletions) is spooled to a temp file while its digest is computed,
 * applied by the storage driver under its chain ID, and the image row is written last in one
 * transaction: a failure leaves no image. A running container is paused meanwhile (unless pause
 * is false). A container without changes still gets its (empty) layer, as Docker does.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { SelkieError } from '../errors.js';
import type { Resources } from '../local/resources.js';
import { commitConfig } from '../images/commit-changes.js';
import { qualifyForStorage } from '../images/local-names.js';
import type { CommitOptions, FilesystemChange } from '../types/container-ops.js';
import type { ImageConfig } from '../types/image.js';
import { chainIds, randomId, sha256Hex, stripAlgorithm } from '../util/ids.js';
import { containerChanges, DELETED } from './container-diff.js';
import { withRootfs } from './container-copy.js';
import { pauseContainer, unpauseContainer } from './container-pause.js';
import type { ContainerRecord } from './container-record.js';
import { toContainer } from './id-mappings.js';

export async function commitContainer(res: Resources, c: ContainerRecord, opts: CommitOptions = {}): Promise<string> {
  const format = opts.format ?? 'oci';
  if (format !== 'oci' && format !== 'docker') throw new SelkieError('usage', `invalid --format "${String(format)}"`, { hint: 'use oci or docker' });
  const name = opts.reference ? qualifyForStorage(opts.reference) : undefined;
  const images = await res.images();
  const image = images.mustGet(c.config.imageId);
  const cfg = commitConfig(image.config.config, { ...c.config, labels: c.config.labels }, opts.changes ?? [], format);
  const storage = await res.storage();
  const tmpDir = path.join(res.paths.graphRoot, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const spool = path.join(tmpDir, `commit-${randomId().slice(0, 16)}.tar`);
  const pause = opts.pause !== false && c.state === 'running';
  try {
    if (pause) await pauseContainer(res, c);
    let diff: { hex: string; size: number };
    try {
      const maps = c.config.idMappings;
      // a container with a user namespace wrote host IDs: the layer carries the container's
      const toImage = maps ? (uid: number, gid: number): [number, number] => [toContainer(maps.uidMap, uid) ?? 65534, toContainer(maps.gidMap, gid) ?? 65534] : undefined;
      diff = await withRootfs(res, c, async (rootfs) => spoolChanges(await containerChanges(storage, c.id, image.topLayer), rootfs, spool, toImage));
    } finally {
      if (pause) await unpauseContainer(res, { ...c, state: 'paused' });
    }
    const diffId = `sha256:${diff.hex}`;
    const diffIds = [...image.config.rootfs.diff_ids, diffId];
    const chain = stripAlgorithm(chainIds(diffIds).at(-1)!);
    if (!(await storage.layerExists(chain))) {
      const applied = await storage.createLayer(chain, image.topLayer, fs.createReadStream(spool));
      if (applied.diffId !== diffId) throw new SelkieError('internal', `the committed layer of ${c.name} changed while it was stored (${applied.diffId} ≠ ${diffId})`);
    }
    const now = new Date();
    const config: ImageConfig & { config?: typeof cfg } = {
      ...structuredClone(image.config),
      created: now.toISOString(),
      config: cfg,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [
        ...(image.config.history ?? []),
        { created: now.toISOString(), created_by: (c.config.cmd ?? []).join(' '), ...(opts.author ? { author: opts.author } : {}), ...(opts.message ? { comment: opts.message } : {}) },
      ],
    };
    if (opts.author) config.author = opts.author;
    else delete config.author;
    const configRaw = JSON.stringify(config);
    const id = sha256Hex(configRaw);
    images.save(
      {
        id,
        topLayer: chain,
        config,
        configRaw,
        manifest: null,
        manifestType: format === 'docker' ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json',
        digest: null,
        size: image.size + diff.size,
        created: Math.floor(now.getTime() / 1000),
        stored: Math.floor(now.getTime() / 1000),
      },
      {
        names: name ? [name] : [],
        layers: [{ id: chain, parent: image.topLayer, diffId, uncompressedSize: diff.size, compressedDigest: null, compressedSize: null }],
      },
    );
    return id;
  } finally {
    fs.rmSync(spool, { force: true });
  }
}

type EntryHeader = Parameters<ReturnType<typeof tar.pack>['entry']>[0];

/** Writes the layer tar of `changes` (files read from the mounted `rootfs`) to `file`; returns its sha256 and size. */
async function spoolChanges(changes: FilesystemChange[], rootfs: string, file: string, mapOwner?: (uid: number, gid: number) => [number, number]): Promise<{ hex: string; size: number }> {
  const pack = tar.pack();
  const hash = crypto.createHash('sha256');
  let size = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const done = pipeline(pack, tee, fs.createWriteStream(file));
  const add = (header: EntryHeader, body?: fs.ReadStream): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!body) {
        pack.entry(header, Buffer.alloc(0), (err) => (err ? reject(err) : resolve())); // no content: ends at once
        return;
      }
      const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
      pipeline(body, sink as unknown as PassThrough).catch(reject);
    });
  const seen = new Map<string, string>();
  try {
    for (const ch of changes) {
      const rel = ch.Path.slice(1);
      if (ch.Kind === DELETED) {
        const dir = path.posix.dirname(rel);
        await add({ name: `${dir === '.' ? '' : `${dir}/`}.wh.${path.posix.basename(rel)}`, type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) });
        continue;
      }
      const full = path.join(rootfs, rel);
      const st = fs.lstatSync(full, { throwIfNoEntry: false });
      if (!st) continue; // gone since the diff was taken
      const [uid, gid] = mapOwner ? mapOwner(st.uid, st.gid) : [st.uid, st.gid];
      const base = { name: rel, mode: st.mode & 0o7777, uid, gid, mtime: st.mtime };
      if (st.isDirectory()) await add({ ...base, name: `${rel}/`, type: 'directory' });
      else if (st.isSymbolicLink()) await add({ ...base, type: 'symlink', linkname: fs.readlinkSync(full) });
      else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? seen.get(key) : undefined;
        if (first) await add({ ...base, type: 'link', linkname: first });
        else {
          if (st.nlink > 1) seen.set(key, rel);
          await add({ ...base, type: 'file', size: st.size }, fs.createReadStream(full));
        }
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const rdev = Number(st.rdev);
        await add({ ...base, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: (rdev >> 8) & 0xfff, devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) });
      } else if (st.isFIFO()) await add({ ...base, type: 'fifo' });
    }
    pack.finalize();
  } catch (e) {
    pack.destroy(e as Error);
    await done.catch(() => {});
    throw e;
  }
  await done;
  return { hex: hash.digest('hex'), size };
}
