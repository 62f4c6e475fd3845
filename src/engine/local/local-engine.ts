/** The Engine that runs things on this host. Services share one lazily-opened set of Resources. */
import type { ContainerService, Engine, ImageService, SystemService } from '../engine.js';
import type { LocalEngineOptions } from './engine-options.js';
import { LocalContainerService } from './container-service.js';
import { LocalImageService } from './image-service.js';
import { LocalSystemService } from './system-service.js';
import { Resources } from './resources.js';

export class LocalEngine implements Engine {
  private readonly res: Resources;
  readonly images: ImageService;
  readonly containers: ContainerService;
  readonly system: SystemService;

  constructor(options: LocalEngineOptions = {}) {
    this.res = new Resources(options);
    const images = new LocalImageService(this.res);
    this.images = images;
    this.containers = new LocalContainerService(this.res, images);
    this.system = new LocalSystemService(this.res);
  }

  async close(): Promise<void> {
    this.res.close();
  }
}
