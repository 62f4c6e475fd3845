/**
 * Files of a container's bundle (config.json, hostname, hosts, resolv.conf, an exec's process.json):
 * replaced atomically (temp file + rename, so a reader never sees half a file) but not fsync'd.
 * Every start of the container writes them again, so after a power loss they are made anew rather
 * than read back; the fsyncs cost a start tens of milliseconds on a busy disk.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeBundleFile(file: string, data: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  fs.writeFileSync(tmp, data, { mode });
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
