/**
 * The command tree, as data: the entry point reads only this to find the command a user typed, then
 * loads that one command's module (commands/<module>), so start-up costs one command, not all.
 */
export interface CommandEntry {
  /** Full command path: "run", "image ls". */
  path: string;
  /** Other full paths for the same command: "images", "image list". */
  aliases?: string[];
  summary: string;
  /** Module under commands/ (without extension). */
  module: string;
  hidden?: boolean;
}

export const managementCommands: Record<string, string> = {
  container: 'Manage containers',
  image: 'Manage images',
  manifest: 'Inspect manifest lists and image indexes',
  system: 'Manage selkie',
  varlink: 'Call varlink services (debugging client)',
  network: 'Manage networks',
  volume: 'Manage volumes',
  pod: 'Manage pods',
  kube: 'Play and generate Kubernetes YAML',
  generate: 'Generate structured data (Kubernetes YAML, systemd units)',
  play: 'Play Kubernetes YAML',
};

export const commands: readonly CommandEntry[] = [
  // pods
  { path: 'pod create', summary: 'Create a new empty pod', module: 'pod-create' },
  { path: 'pod start', summary: 'Start one or more pods', module: 'pod-start' },
  { path: 'pod stop', summary: 'Stop one or more pods', module: 'pod-stop' },
  { path: 'pod restart', summary: 'Restart one or more pods', module: 'pod-restart' },
  { path: 'pod kill', summary: 'Send a signal to the containers of one or more pods', module: 'pod-kill' },
  { path: 'pod pause', summary: 'Pause one or more pods', module: 'pod-pause' },
  { path: 'pod unpause', summary: 'Unpause one or more pods', module: 'pod-unpause' },
  { path: 'pod rm', aliases: ['pod remove'], summary: 'Remove one or more stopped pods and containers', module: 'pod-rm' },
  { path: 'pod ps', aliases: ['pod ls', 'pod list'], summary: 'List pods', module: 'pod-ps' },
  { path: 'pod inspect', summary: 'Display a pod configuration', module: 'pod-inspect' },
  { path: 'pod top', summary: 'Display the running processes of containers in a pod', module: 'pod-top' },
  { path: 'pod stats', summary: 'Display resource usage statistics of pods', module: 'pod-stats' },
  { path: 'pod exists', summary: 'Check if a pod exists (exit 0 if it does, 1 if not)', module: 'pod-exists' },
  { path: 'pod prune', summary: 'Remove all stopped pods and their containers', module: 'pod-prune' },
  { path: 'system events', aliases: ['events'], summary: 'Show engine events', module: 'events' },
  { path: 'kube generate', aliases: ['generate kube'], summary: 'Generate Kubernetes YAML from pods or containers', module: 'kube-generate' },
  { path: 'generate systemd', summary: 'Generate systemd units for a container or a pod', module: 'generate-systemd' },
  { path: 'kube play', aliases: ['play kube'], summary: 'Create pods and containers from Kubernetes YAML', module: 'kube-play' },
  // containers
  { path: 'container create', aliases: ['create'], summary: 'Create a new container', module: 'create' },
  { path: 'container run', aliases: ['run'], summary: 'Create and run a new container from an image', module: 'run' },
  { path: 'container start', aliases: ['start'], summary: 'Start one or more stopped containers', module: 'start' },
  { path: 'container stop', aliases: ['stop'], summary: 'Stop one or more running containers', module: 'stop' },
  { path: 'container kill', aliases: ['kill'], summary: 'Kill one or more running containers with a signal', module: 'kill' },
  { path: 'container rm', aliases: ['rm', 'container remove'], summary: 'Remove one or more containers', module: 'rm' },
  { path: 'container ls', aliases: ['ps', 'container list', 'container ps'], summary: 'List containers', module: 'ps' },
  { path: 'container inspect', summary: 'Display detailed information on one or more containers', module: 'container-inspect' },
  { path: 'container logs', aliases: ['logs'], summary: 'Fetch the logs of a container', module: 'logs' },
  { path: 'container stats', aliases: ['stats'], summary: 'Display a live stream of container resource usage statistics', module: 'stats' },
  { path: 'container wait', aliases: ['wait'], summary: 'Block until one or more containers stop, then print their exit codes', module: 'wait' },
  { path: 'container exists', summary: 'Check if a container exists (exit 0 if it does, 1 if not)', module: 'container-exists' },
  { path: 'container restart', aliases: ['restart'], summary: 'Restart one or more containers', module: 'restart' },
  { path: 'container pause', aliases: ['pause'], summary: 'Pause all the processes in one or more containers', module: 'pause' },
  { path: 'container unpause', aliases: ['unpause'], summary: 'Unpause the processes in one or more containers', module: 'unpause' },
  { path: 'container rename', aliases: ['rename'], summary: 'Rename an existing container', module: 'rename' },
  { path: 'container prune', summary: 'Remove all non running containers', module: 'container-prune' },
  { path: 'container exec', aliases: ['exec'], summary: 'Run a process in a running container', module: 'exec' },
  { path: 'container attach', aliases: ['attach'], summary: 'Attach to a running container', module: 'attach' },
  { path: 'container top', aliases: ['top'], summary: 'Display the running processes of a container', module: 'top' },
  { path: 'container mount', aliases: ['mount'], summary: "Mount a container's root filesystem", module: 'mount' },
  { path: 'container umount', aliases: ['umount', 'container unmount', 'unmount'], summary: "Unmount a container's root filesystem", module: 'umount' },
  { path: 'container export', aliases: ['export'], summary: "Export a container's filesystem contents as a tar archive", module: 'export' },
  { path: 'container cp', aliases: ['cp'], summary: 'Copy files/folders between a container and the local filesystem', module: 'cp' },
  { path: 'container diff', aliases: ['diff'], summary: "Inspect changes to files or directories on a container's filesystem", module: 'diff' },
  { path: 'container commit', aliases: ['commit'], summary: "Create a new image from a container's changes", module: 'commit' },
  { path: 'container port', aliases: ['port'], summary: 'List port mappings or a specific mapping for the container', module: 'port' },
  { path: 'container cleanup', summary: "Release a stopped container's resources (run by conmon)", module: 'cleanup', hidden: true },
  // images
  { path: 'image ls', aliases: ['images', 'image list'], summary: 'List images', module: 'images' },
  { path: 'image inspect', summary: 'Display detailed information on one or more images', module: 'image-inspect' },
  { path: 'image import', aliases: ['import'], summary: 'Import the contents from a tarball to create a filesystem image', module: 'import' },
  { path: 'image rm', aliases: ['rmi', 'image remove'], summary: 'Remove one or more images', module: 'rmi' },
  { path: 'image tag', aliases: ['tag'], summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', module: 'tag' },
  { path: 'image pull', aliases: ['pull'], summary: 'Pull an image from a registry', module: 'pull' },
  { path: 'image push', aliases: ['push'], summary: 'Push an image to a registry', module: 'push' },
  { path: 'image copy', summary: 'Copy an image between registries and OCI layouts without storing it', module: 'image-copy' },
  { path: 'login', summary: 'Log in to a container registry', module: 'login' },
  { path: 'logout', summary: 'Log out of a container registry', module: 'logout' },
  { path: 'image exists', summary: 'Check if an image exists locally (exit 0 if it does, 1 if not)', module: 'image-exists' },
  { path: 'image history', aliases: ['history'], summary: 'Show the history of an image', module: 'history' },
  { path: 'image untag', aliases: ['untag'], summary: 'Remove names from a local image', module: 'untag' },
  { path: 'image prune', summary: 'Remove unused images', module: 'image-prune' },
  { path: 'image save', aliases: ['save'], summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)', module: 'save' },
  { path: 'image load', aliases: ['load'], summary: 'Load images from a tar archive or STDIN', module: 'load' },
  { path: 'image search', aliases: ['search'], summary: 'Search registries for images', module: 'search' },
  { path: 'manifest inspect', summary: 'Display a manifest list or image index from a registry', module: 'manifest-inspect' },
  // volumes
  { path: 'volume create', summary: 'Create a new volume', module: 'volume-create' },
  { path: 'volume ls', aliases: ['volume list'], summary: 'List volumes', module: 'volume-ls' },
  { path: 'volume inspect', summary: 'Display detailed information on one or more volumes', module: 'volume-inspect' },
  { path: 'volume rm', aliases: ['volume remove'], summary: 'Remove one or more volumes', module: 'volume-rm' },
  { path: 'volume prune', summary: 'Remove all unused volumes', module: 'volume-prune' },
  { path: 'volume exists', summary: 'Check if a volume exists (exit 0 if it does, 1 if not)', module: 'volume-exists' },
  // networks
  { path: 'network create', summary: 'Create a network', module: 'network-create' },
  { path: 'network ls', aliases: ['network list'], summary: 'List networks', module: 'network-ls' },
  { path: 'network inspect', summary: 'Display detailed information on one or more networks', module: 'network-inspect' },
  { path: 'network rm', aliases: ['network remove'], summary: 'Remove one or more networks', module: 'network-rm' },
  { path: 'network prune', summary: 'Remove all networks no container uses', module: 'network-prune' },
  { path: 'network connect', summary: 'Connect a container to a network', module: 'network-connect' },
  { path: 'network disconnect', summary: 'Disconnect a container from a network', module: 'network-disconnect' },
  { path: 'network exists', summary: 'Check if a network exists (exit 0 if it does, 1 if not)', module: 'network-exists' },
  // both
  { path: 'inspect', summary: 'Return low-level information on containers or images', module: 'inspect' },
  // system
  { path: 'system info', aliases: ['info'], summary: 'Display system-wide information', module: 'info' },
  { path: 'version', aliases: ['system version'], summary: 'Show the selkie version information', module: 'version' },
  { path: 'system service', summary: 'Serve the varlink API (io.podman, io.selkie) on a socket', module: 'system-service' },
  { path: 'unshare', summary: "Run a command in the rootless user's user namespace", module: 'unshare' },
  { path: 'system migrate', summary: 'Stop the rootless pause process so the next command maps the user namespace anew', module: 'system-migrate' },
  { path: 'system reset', summary: 'Remove all containers, pods, images, volumes and the storage', module: 'system-reset' },
  { path: 'varlink call', summary: 'Call a varlink method and print the reply (debugging client)', module: 'varlink-call' },
  { path: 'varlink info', summary: 'Show a varlink service and its interfaces (debugging client)', module: 'varlink-info' },
  { path: 'varlink help', summary: 'Print the definition of an interface a varlink service implements', module: 'varlink-help' },
  { path: 'varlink bridge', summary: 'Relay varlink between stdin/stdout and the local service (what ssh runs)', module: 'varlink-bridge' },
  { path: 'system connection add', summary: 'Record a named remote connection (unix:// or ssh:// URL)', module: 'system-connection-add' },
  { path: 'system connection list', aliases: ['system connection ls'], summary: 'List the named remote connections', module: 'system-connection-list' },
  { path: 'system connection remove', aliases: ['system connection rm'], summary: 'Forget a named remote connection', module: 'system-connection-remove' },
  { path: 'system connection default', summary: 'Make a named connection the default for --remote', module: 'system-connection-default' },
  { path: 'help', summary: 'Help about any command', module: 'help' },
];

export interface Resolved {
  entry: CommandEntry;
  /** The words the user typed for it ("images" or "image ls"). */
  typed: string;
  /** How many argv words the command path used. */
  words: number;
}

/** Find the longest command path that the leading words of `args` spell. */
export function resolveCommand(words: readonly string[]): Resolved | undefined {
  let best: Resolved | undefined;
  for (const entry of commands) {
    for (const p of [entry.path, ...(entry.aliases ?? [])]) {
      const parts = p.split(' ');
      if (parts.length <= words.length && parts.every((w, i) => words[i] === w) && (!best || parts.length > best.words)) {
        best = { entry, typed: p, words: parts.length };
      }
    }
  }
  return best;
}

/** Subcommands of a management command, for its help and for suggestions. */
export function subcommandsOf(group: string): CommandEntry[] {
  return commands.filter((c) => !c.hidden && [c.path, ...(c.aliases ?? [])].some((p) => p.startsWith(`${group} `)));
}
