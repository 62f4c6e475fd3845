/** KubeService on top of any Engine: the YAML is parsed here, the work done through the Engine. */
import type { Engine, KubeService } from '../engine.js';
import { generateKube } from './generate-kube.js';
import type { PlayKubeReport } from './kube-types.js';
import { parseKube } from './kube-parse.js';
import { playKube, playKubeDown } from './play-kube.js';

export class EngineKubeService implements KubeService {
  constructor(private readonly engine: Engine) {}

  generate(namesOrIds: string[], opts: { service?: boolean } = {}): Promise<string> {
    return generateKube(this.engine, namesOrIds, opts);
  }

  async play(yaml: string, opts: { down?: boolean; start?: boolean; file?: string } = {}): Promise<PlayKubeReport> {
    const pods = await parseKube(yaml, opts.file);
    return opts.down ? playKubeDown(this.engine, pods) : playKube(this.engine, pods, { start: opts.start });
  }
}
