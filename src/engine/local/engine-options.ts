/** Options of the local engine, from the CLI's global flags (or the varlink service's). */
export interface LocalEngineOptions {
  root?: string;
  runRoot?: string;
  storageDriver?: 'overlay' | 'vfs';
  /** --storage-opt KEY=VALUE (storage/storage-options.ts: overlay.mount_program). */
  storageOptions?: string[];
  runtime?: string;
  cgroupManager?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** argv prefix to re-invoke this CLI (conmon's exit command); defaults to the running selkie. */
  selfCommand?: string[];
}
