/**
 * docker-archive (`docker save`'s format, as containers/image writes it): at the top level the
 * config `<id>.json`, each layer's uncompressed tar `<diffID hex>.tar` (once, however many images
 * share it) and `manifest.json` ([{Config, RepoTags, Layers}], one per image). The legacy per-layer
 * directories and `repositories` file (for pre-1.10 Docker) are not written: every reader since
 * Docker 1.10, Podman and skopeo use manifest.json.
 */
import type { Pack } from 'tar-stream';
import { addFile, addStream } from './tar-out.js';
import type { ImageToSave, LayerOpener } from './archive-types.js';

const hexOf = (digest: string): string => digest.replace(/^sha256:/, '');

export async function writeDockerArchive(pack: Pack, images: readonly ImageToSave[], openLayer: LayerOpener): Promise<void> {
  const written = new Set<string>();
  const manifest: Array<{ Config: string; RepoTags: string[] | null; Layers: string[] }> = [];
  for (const { image, names, layers } of images) {
    const configName = `${image.id}.json`;
    if (!written.has(configName)) {
      await addFile(pack, configName, image.configRaw);
      written.add(configName);
    }
    const layerNames: string[] = [];
    for (const l of layers) {
      const name = `${hexOf(l.diffId)}.tar`;
      layerNames.push(name);
      if (written.has(name)) continue;
      await addStream(pack, name, l.uncompressedSize, openLayer(l));
      written.add(name);
    }
    manifest.push({ Config: configName, RepoTags: names.length > 0 ? names : null, Layers: layerNames });
  }
  await addFile(pack, 'manifest.json', JSON.stringify(manifest));
}
