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
  system: 'Manage selkie',
};

export const commands: readonly CommandEntry[] = [
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
  // both
  { path: 'inspect', summary: 'Return low-level information on containers or images', module: 'inspect' },
  // system
  { path: 'system info', aliases: ['info'], summary: 'Display system-wide information', module: 'info' },
  { path: 'version', aliases: ['system version'], summary: 'Show the selkie version information', module: 'version' },
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
