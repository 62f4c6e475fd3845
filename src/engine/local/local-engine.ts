/** The Engine that runs things on this host. Services share one lazily-opened set of Resources. */
import type { ContainerService, Engine, ImageService, NetworkService, KubeService, PodService, SystemService, VolumeService } from '../engine.js';
import { LocalPodService } from './pod-service.js';
import { EngineKubeService } from '../kube/kube-service.js';
import { recordEvents } from '../events/engine-events.js';
import { LocalNetworkService } from './network-service.js';
import type { LocalEngineOptions } from './engine-options.js';
import { LocalContainerService } from './container-service.js';
import { LocalImageService } from './image-service.js';
import { LocalSystemService } from './system-service.js';
import { LocalVolumeService } from './volume-service.js';
import { Resources } from './resources.js';
import { rememberSchemesIn } from '../registry/scheme-memory.js';

export class LocalEngine implements Engine {
  private readonly res: Resources;
  readonly images: ImageService;
  readonly containers: ContainerService;
  readonly system: SystemService;
  readonly volumes: VolumeService;
  readonly networks: NetworkService;
  readonly pods: PodService;
  readonly kube: KubeService;

  constructor(options: LocalEngineOptions = {}) {
    this.res = new Resources(options);
    rememberSchemesIn(this.res.paths.runRoot);
    const images = new LocalImageService(this.res);
    this.images = images;
    const containers = new LocalContainerService(this.res, images);
    this.containers = containers;
    const pods = new LocalPodService(this.res, containers, images);
    this.pods = pods;
    this.kube = new EngineKubeService(this);
    containers.createPod = async (name) => (await this.res.pods()).mustFind((await pods.create({ name })).id);
    this.system = new LocalSystemService(this.res);
    this.networks = new LocalNetworkService(this.res, (id) => this.containers.remove(id, { force: true }));
    this.volumes = new LocalVolumeService(this.res, (id) => this.containers.remove(id, { force: true }));
    recordEvents({
      log: this.res.events(),
      containers,
      images,
      pods,
      volumes: this.volumes,
      networks: this.networks,
      findContainer: async (n) => (await this.res.containers()).find(n),
    });
  }

  async close(): Promise<void> {
    this.res.close();
  }
}
