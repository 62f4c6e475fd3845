/**
 * The part of the Kubernetes object model Selkie reads and writes: Pods (and the pod template of a
 * Deployment), their containers, ports, env, volumes, security context and resource limits.
 */

export interface KubeContainerPort {
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: 'TCP' | 'UDP';
  name?: string;
}

export interface KubeVolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export interface KubeContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: { name: string; value: string }[];
  ports?: KubeContainerPort[];
  volumeMounts?: KubeVolumeMount[];
  tty?: boolean;
  stdin?: boolean;
  securityContext?: {
    capabilities?: { add?: string[]; drop?: string[] };
    privileged?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    allowPrivilegeEscalation?: boolean;
  };
  resources?: { limits?: { memory?: string; cpu?: string } };
}

export interface KubeVolume {
  name: string;
  hostPath?: { path: string; type?: string };
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string };
}

export interface KubePod {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hostname?: string;
  hostNetwork?: boolean;
  restartPolicy?: string;
  containers: KubeContainer[];
  volumes: KubeVolume[];
}

/** What `play kube` did: the pods it made (or removed) and their containers. */
export interface PlayKubeReport {
  pods: { id: string; name: string; containers: string[] }[];
}
