/**
 * io.podman's development calls that answer JSON text: ContainerInspectData, ContainerStateData,
 * ContainerConfig and PodStateData, from the Engine's inspect data. Spec and ContainerArtifacts
 * (libpod's OCI spec and stored artifacts) are not exposed by the Engine: they answer ErrorOccurred
 * naming the call that has the same information.
 */
import { describeError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { ContainerInspect } from '../../types/container.js';
import type { MethodHandler } from '../service.js';
import { forContainer, podmanError } from './podman-errors.js';

/** The parts of libpod's ContainerConfig the engine knows, under libpod's JSON names. */
function containerConfig(i: ContainerInspect) {
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ''),
    rootfsImageID: i.Image.replace(/^sha256:/, ''),
    rootfsImageName: i.ImageName,
    command: [i.Path, ...i.Args].filter(Boolean),
    entrypoint: i.Config.Entrypoint ?? [],
    env: i.Config.Env,
    user: i.Config.User,
    workDir: i.Config.WorkingDir,
    hostname: i.Config.Hostname,
    labels: i.Config.Labels ?? {},
    annotations: i.Config.Annotations ?? {},
    stopSignal: i.Config.StopSignal,
    stopTimeout: i.Config.StopTimeout ?? 10,
    createdTime: i.Created,
    createCommand: i.Config.CreateCommand ?? [],
    sdnotifyMode: i.Config.SdNotifyMode ?? '',
    terminal: i.Config.Tty,
    stdin: i.Config.OpenStdin,
    ociRuntime: i.OCIRuntime,
    privileged: i.HostConfig.Privileged,
    readOnly: i.HostConfig.ReadonlyRootfs,
    networkMode: i.HostConfig.NetworkMode,
    dnsServer: i.HostConfig.Dns ?? [],
    dnsSearch: i.HostConfig.DnsSearch ?? [],
    hostAdd: i.HostConfig.ExtraHosts ?? [],
    groups: i.HostConfig.GroupAdd,
    mountLabel: i.MountLabel,
    processLabel: i.ProcessLabel,
    logPath: i.HostConfig.LogConfig?.Path ?? '',
    logDriver: i.HostConfig.LogConfig?.Type ?? '',
    restartPolicy: i.HostConfig.RestartPolicy?.Name ?? '',
    restartRetries: i.HostConfig.RestartPolicy?.MaximumRetryCount ?? 0,
    conmonPidFile: i.ConmonPidFile ?? '',
  };
}

/** libpod's ContainerState names for the engine's state. */
function containerState(i: ContainerInspect) {
  const s = i.State;
  return {
    state: s.Status === 'created' ? 'configured' : s.Status,
    pid: s.Pid,
    conmonPid: s.ConmonPid,
    exitCode: s.ExitCode,
    oomKilled: s.OOMKilled,
    error: s.Error,
    startedTime: s.StartedAt,
    finishedTime: s.FinishedAt,
    restartCount: i.RestartCount,
  };
}

export function devDataMethods(engine: Engine): Record<string, MethodHandler> {
  const inspect = (name: string) => forContainer(name, () => engine.containers.inspect(name));
  return {
    // The engine's inspect has no size figures: `size` does not change the answer.
    ContainerInspectData: async (p: { name: string; size: boolean }) => ({ config: JSON.stringify(await inspect(p.name)) }),
    ContainerStateData: async (p: { name: string }) => ({ config: JSON.stringify(containerState(await inspect(p.name))) }),
    ContainerConfig: async (p: { name: string }) => ({ config: JSON.stringify(containerConfig(await inspect(p.name))) }),
    // Podman answered ErrorOccurred for a missing pod here.
    PodStateData: async (p: { name: string }) => {
      try {
        return { config: JSON.stringify(await engine.pods.inspect(p.name)) };
      } catch (e) {
        throw podmanError.errorOccurred(describeError(e));
      }
    },
    Spec: async (p: { name: string }) => {
      const i = await engine.containers.inspect(p.name).catch((e: unknown) => {
        throw podmanError.errorOccurred(describeError(e));
      });
      throw podmanError.errorOccurred(`the OCI runtime spec of container ${i.Name.replace(/^\//, '')} is not served by selkie: ContainerConfig and InspectContainer give its process, mounts, namespaces and security settings`);
    },
    ContainerArtifacts: async (p: { name: string; artifactName: string }) => {
      await inspect(p.name);
      throw podmanError.errorOccurred(`unable to get container artifacts: selkie keeps no artifact ${JSON.stringify(p.artifactName)} (libpod's stored create options); use ContainerConfig`);
    },
  };
}
