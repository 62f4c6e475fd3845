/**
 * io.podman calls that move images and root filesystems through files on the service's host, as
 * Podman 1.9 did (a remote client then fetches them with ReceiveFile or sends them with SendFile):
 * ExportContainer (tar of the root filesystem), ExportImage (to docker-archive:/oci-archive: paths,
 * or pushed to a registry reference), ImportImage (a tar file or URL as a one-layer image),
 * ImageSave (an archive in a temporary file whose path is the reply's id) and LoadImage.
 * Every file is written next to its target and renamed into place, so a failure leaves none.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { ImageArchiveFormat } from '../../types/image-ops.js';
import type { CallInfo, MethodHandler } from '../service.js';
import { moreResponse } from './more-response.js';
import { forContainer, forImage, podmanError } from './podman-errors.js';

const bareId = (id: string) => id.replace(/^sha256:/, '');

/** A new empty file in the service's temporary directory (Podman's varlink_send/varlink_recv files). */
export function serviceTempFile(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const file = path.join(dir, 'data');
  fs.writeFileSync(file, '', { mode: 0o600 });
  return file;
}

/** Remove a file made by serviceTempFile, and its directory. */
export function removeServiceTempFile(file: string): void {
  fs.rmSync(file, { force: true });
  const dir = path.dirname(file);
  if (path.dirname(dir) !== os.tmpdir() || !/^varlink_(send|recv)-/.test(path.basename(dir))) return;
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty: something else was put there
  }
}

/** Write `produce`'s bytes to `target` through a temporary file beside it; nothing is left on failure. */
async function writeInto(target: string, produce: (out: Writable) => Promise<void>): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  let out: fs.WriteStream;
  try {
    out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o644 });
    await new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
  } catch (e) {
    throw podmanError.errorOccurred(`cannot write ${target} on the service host: ${(e as Error).message}`);
  }
  try {
    await produce(out);
    fs.renameSync(tmp, target);
  } catch (e) {
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** "docker-archive:/p.tar" → its format and path; anything else (docker://, a bare name) is a registry push. */
export function archiveDestination(destination: string): { format: ImageArchiveFormat; file: string } | undefined {
  const m = /^(docker-archive|oci-archive):(.*)$/.exec(destination);
  if (!m) return undefined;
  const rest = m[2]!;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    throw podmanError.errorOccurred(
      `naming the image inside the archive (${JSON.stringify(rest.slice(colon + 1))}) is not supported: tag the image with that name first and export it by that name (the archive keeps the names asked for)`,
    );
  }
  if (!rest) throw podmanError.errorOccurred(`${destination} names no file: use ${m[1]}:/path/on/the/service/host.tar`);
  return { format: m[1] as ImageArchiveFormat, file: path.resolve(rest) };
}

/** An import source: a file on the service host, or an http(s) URL. */
async function openSource(source: string): Promise<Readable> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source).catch((e: Error) => {
      throw podmanError.errorOccurred(`cannot download ${source}: ${e.message}`);
    });
    if (!res.ok || !res.body) throw podmanError.errorOccurred(`cannot download ${source}: HTTP ${res.status}`);
    return Readable.fromWeb(res.body as never);
  }
  try {
    fs.accessSync(source, fs.constants.R_OK);
  } catch (e) {
    throw podmanError.errorOccurred(`cannot read ${source} on the service host: ${(e as Error).message}`);
  }
  return fs.createReadStream(source);
}

/** Podman's ImageSave formats; the directory layouts are not written by selkie. */
function saveFormat(format: string): ImageArchiveFormat {
  if (format === '' || format === 'docker-archive') return 'docker-archive';
  if (format === 'oci-archive') return 'oci-archive';
  if (format === 'oci-dir' || format === 'docker-dir') throw podmanError.errorOccurred(`saving as ${format} is not supported: use "oci-archive" or "docker-archive"`);
  throw podmanError.errorOccurred(`unknown save format ${JSON.stringify(format)}: use "docker-archive" or "oci-archive"`);
}

interface SaveOptions {
  name: string;
  format: string;
  output: string;
  outputType: string;
  moreTags: string[];
  quiet: boolean;
  compress: boolean;
}

export function imageTransferMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    ExportContainer: async (p: { name: string; path: string }) => {
      const { Id } = await forContainer(p.name, () => engine.containers.inspect(p.name));
      // Without a path, Podman wrote a temporary file and answered its name.
      const target = p.path ? path.resolve(p.path) : serviceTempFile('varlink_recv');
      try {
        await writeInto(target, async (out) => pipeline(await forContainer(p.name, () => engine.containers.export(Id)), out));
      } catch (e) {
        if (!p.path) removeServiceTempFile(target);
        throw e;
      }
      return { tarfile: target };
    },
    ExportImage: async (p: { name: string; destination: string; compress: boolean; tags: string[] }) => {
      const { Id } = await forImage(p.name, () => engine.images.inspect(p.name));
      const archive = archiveDestination(p.destination);
      if (archive) {
        await writeInto(archive.file, (out) => forImage(p.name, () => engine.images.save([p.name, ...p.tags], out, { format: archive.format })));
      } else {
        // docker://REFERENCE or no transport: a registry, as Podman's heuristic destination (other
        // transports are refused by the engine's push with a message naming what works).
        await forImage(p.name, () => engine.images.push(p.name, p.destination));
      }
      return { image: bareId(Id) };
    },
    ImportImage: async (p: { source: string; reference: string; message: string; changes: string[]; delete: boolean }) => {
      const source = await openSource(p.source);
      const id = await engine.images.import(source, { reference: p.reference || undefined, message: p.message || undefined, changes: p.changes.length ? p.changes : undefined });
      if (p.delete && !/^https?:\/\//.test(p.source)) {
        try {
          fs.rmSync(p.source);
        } catch (e) {
          throw podmanError.errorOccurred(`imported ${bareId(id)}, but could not delete ${p.source}: ${describeError(e)}`);
        }
      }
      return { image: bareId(id) };
    },
    ImageSave: async (p: { options: SaveOptions }, call: CallInfo) => {
      const o = p.options;
      await forImage(o.name, () => engine.images.inspect(o.name));
      const format = saveFormat(o.format);
      // As Podman 1.9: the archive goes to a temporary file on the service host (options.output is
      // where the client puts it); its path is the reply's id, for ReceiveFile.
      return moreResponse(call, 'reply', async () => {
        const file = serviceTempFile('varlink_send');
        try {
          await writeInto(file, (out) => forImage(o.name, () => engine.images.save([o.name, ...o.moreTags], out, { format })));
        } catch (e) {
          removeServiceTempFile(file);
          throw e;
        }
        return file;
      });
    },
    LoadImage: async (p: { name: string; inputFile: string; quiet: boolean; deleteFile: boolean }, call: CallInfo) => {
      const source = await openSource(p.inputFile);
      return moreResponse(call, 'reply', async () => {
        const report = await engine.images.load(source);
        const names = [...report.names];
        // An image without a name in the archive (an untagged oci-archive) gets the one asked for.
        if (p.name && names.length === 0 && report.ids[0]) {
          await engine.images.tag(report.ids[0], p.name);
          names.push(p.name);
        }
        if (p.deleteFile) fs.rmSync(p.inputFile, { force: true });
        return (names.length ? names : report.ids.map(bareId)).join(',');
      });
    },
  };
}
