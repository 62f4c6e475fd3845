/**
 * io.podman's layer views of images: ImageTree (the text `podman image tree` printed, with
 * `whatRequires` the images built on top of this one), and the development calls
 * GetLayersMapWithImageInfo and BuildImageHierarchyMap (JSON text). Layers are named by their OCI
 * chain ID (a layer and everything under it), so images that share a base share its nodes; sizes
 * come from the images' history.
 */
import crypto from 'node:crypto';
import type { Engine } from '../../engine.js';
import type { ImageInspect } from '../../types/image.js';
import type { MethodHandler } from '../service.js';
import { forImage, podmanError } from './podman-errors.js';
import { goUnitsSize } from '../../util/human-size.js';

interface Layer {
  /** Chain ID, hex. */
  id: string;
  size: number;
}

interface LayerInfo {
  ID: string;
  ParentID: string;
  ChildID: string[];
  RepoTags: string[];
  Size: number;
}

const hex = (d: string) => d.replace(/^sha256:/, '');
const short = (d: string) => hex(d).slice(0, 12);

/** go-units HumanSizeWithPrecision(size, 4), what `image tree` printed: "5.861MB". */
const size4 = (bytes: number): string => goUnitsSize(bytes, 4);

/** The image's layers oldest first: chain IDs, and each layer's size from its history entry. */
async function layersOf(engine: Engine, image: ImageInspect): Promise<Layer[]> {
  const rows = (await engine.images.history(image.Id).catch(() => [])).slice().reverse();
  const config = image.History ?? [];
  // The history rows that made a layer, in order (rows and config entries correspond one to one).
  const sizes = rows.length === config.length ? rows.filter((_, i) => !config[i]?.empty_layer).map((r) => r.Size) : [];
  let chain = '';
  return image.RootFS.Layers.map((diffId, i) => {
    chain = i === 0 ? hex(diffId) : crypto.createHash('sha256').update(`sha256:${chain} ${diffId}`).digest('hex');
    return { id: chain, size: sizes.length === image.RootFS.Layers.length ? sizes[i]! : 0 };
  });
}

async function allImages(engine: Engine): Promise<{ image: ImageInspect; layers: Layer[] }[]> {
  const list = await engine.images.list({ all: true });
  const inspected = await Promise.all(list.map((s) => engine.images.inspect(s.Id).catch(() => undefined)));
  return Promise.all(inspected.filter((i): i is ImageInspect => Boolean(i)).map(async (image) => ({ image, layers: await layersOf(engine, image) })));
}

const tagsOf = (i: ImageInspect) => (i.RepoTags.length ? i.RepoTags : [`${short(i.Id)}`]);

/** Every layer of every image with its parent, children, size and the images whose top it is. */
function layerMap(images: { image: ImageInspect; layers: Layer[] }[]): Map<string, LayerInfo> {
  const map = new Map<string, LayerInfo>();
  for (const { image, layers } of images) {
    layers.forEach((l, i) => {
      const parent = i > 0 ? layers[i - 1]!.id : '';
      const info = map.get(l.id) ?? { ID: l.id, ParentID: parent, ChildID: [], RepoTags: [], Size: l.size };
      map.set(l.id, info);
      if (i === layers.length - 1) info.RepoTags.push(...tagsOf(image));
      const child = layers[i + 1]?.id;
      if (child && !info.ChildID.includes(child)) info.ChildID.push(child);
    });
  }
  return map;
}

function layerLine(prefix: string, l: LayerInfo): string {
  return `${prefix} ID: ${short(l.ID)} Size: ${size4(l.Size)}${l.RepoTags.length ? ` Top Layer of: [${l.RepoTags.join(' ')}]` : ''}\n`;
}

/** `podman image tree` text: the image's layers, or with whatRequires the layers built on its top one. */
function treeText(image: ImageInspect, own: Layer[], map: Map<string, LayerInfo>, whatRequires: boolean): string {
  let out = `Image ID: ${short(image.Id)}\nTags:     [${image.RepoTags.join(' ')}]\nSize:     ${size4(image.Size)}\nImage Layers\n`;
  if (!whatRequires) {
    own.forEach((l, i) => (out += layerLine(i === own.length - 1 ? '└── ' : '├── ', map.get(l.id)!)));
    return out;
  }
  const top = own[own.length - 1];
  if (!top) return out;
  out += layerLine('└── ', map.get(top.id)!);
  const walk = (id: string, indent: string) => {
    const children = map.get(id)?.ChildID ?? [];
    children.forEach((c, i) => {
      const last = i === children.length - 1;
      out += layerLine(`${indent}${last ? '└── ' : '├── '}`, map.get(c)!);
      walk(c, `${indent}${last ? '    ' : '│   '}`);
    });
  };
  walk(top.id, '    ');
  return out;
}

export function imageTreeMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    ImageTree: async (p: { name: string; whatRequires: boolean }) => {
      const image = await forImage(p.name, () => engine.images.inspect(p.name));
      const images = await allImages(engine);
      const own = images.find((x) => x.image.Id === image.Id)?.layers ?? (await layersOf(engine, image));
      return { tree: treeText(image, own, layerMap(images), p.whatRequires) };
    },
    GetLayersMapWithImageInfo: async () => ({ layerMap: JSON.stringify(Object.fromEntries(layerMap(await allImages(engine)))) }),
    // Podman answered ErrorOccurred for a missing image here (a development call).
    BuildImageHierarchyMap: async (p: { name: string }) => {
      const image = await engine.images.inspect(p.name).catch((e: Error) => {
        throw podmanError.errorOccurred(e.message);
      });
      const images = await allImages(engine);
      const map = layerMap(images);
      const own = images.find((x) => x.image.Id === image.Id)?.layers ?? [];
      return { imageInfo: JSON.stringify({ ID: hex(image.Id), Tags: image.RepoTags, Layers: own.map((l) => map.get(l.id)).reverse() }) };
    },
  };
}
