/**
 * io.podman calls for features selkie does not have, answered as Podman 1.9 answered a failure of
 * the feature (ErrorOccurred, after ContainerNotFound/ImageNotFound for a bad name), with a reason
 * that says what is missing and what to use instead: BuildImage (no builder), ContainerCheckpoint
 * and ContainerRestore (no CRIU), HealthCheckRun (no healthchecks), ContainerRunlabel (the service
 * runs no host commands), CreateFromCC, GetAttachSockets and AttachControl (conmon's sockets are
 * not handed out: Attach upgrades the connection instead).
 */
import { describeError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { MethodHandler } from '../service.js';
import { forContainer, podmanError } from './podman-errors.js';

const unsupported = (reason: string) => podmanError.errorOccurred(reason);

export function unsupportedMethods(engine: Engine): Record<string, MethodHandler> {
  const existing = (name: string) => forContainer(name, () => engine.containers.inspect(name));
  return {
    BuildImage: async (p: { build: { output: string } }) => {
      throw unsupported(
        `building images${p.build.output ? ` (${p.build.output})` : ''} is not supported by selkie: it has no Dockerfile builder; build with buildah or podman build, then push the image to a registry and PullImage it, or send an archive and LoadImage it`,
      );
    },
    ContainerCheckpoint: async (p: { name: string }) => {
      const i = await existing(p.name);
      throw unsupported(`cannot checkpoint container ${i.Id}: selkie does not support checkpoint/restore (it needs CRIU); to keep the container's files, Commit it to an image`);
    },
    ContainerRestore: async (p: { name: string }) => {
      const i = await existing(p.name);
      throw unsupported(`cannot restore container ${i.Id}: selkie does not support checkpoint/restore (it needs CRIU), so there is no checkpoint to restore; StartContainer starts it afresh`);
    },
    HealthCheckRun: async (p: { nameOrID: string }) => {
      const i = await existing(p.nameOrID);
      throw unsupported(`container ${i.Id} has no defined healthcheck: selkie does not run healthchecks; ExecContainer the check command to run it by hand`);
    },
    ContainerRunlabel: async (p: { runlabel: { image: string; label: string } }) => {
      const { image, label } = p.runlabel;
      let labels: Record<string, string>;
      try {
        labels = (await engine.images.inspect(image)).Labels ?? {};
      } catch (e) {
        throw unsupported(describeError(e));
      }
      if (!(label in labels)) throw unsupported(`${image} does not contain the label ${label}`);
      throw unsupported(
        `running the ${label} label of ${image} is not supported by the selkie service (it runs no commands on its host): the label's command is ${JSON.stringify(labels[label])}; run it yourself`,
      );
    },
    CreateFromCC: async () => {
      throw unsupported('CreateFromCC (a libpod container config) is not supported by selkie: use CreateContainer');
    },
    GetAttachSockets: async (p: { name: string }) => {
      const i = await existing(p.name);
      throw unsupported(`the attach and control sockets of container ${i.Id} are not handed out by selkie: use Attach (or ExecContainer) with an upgraded connection`);
    },
    AttachControl: async (p: { name: string }) => {
      const i = await existing(p.name);
      throw unsupported(`AttachControl is not supported by selkie for container ${i.Id}: use Attach with an upgraded connection`);
    },
  };
}
