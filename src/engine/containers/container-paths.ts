/** Where a container's files live: persistent userdata (the OCI bundle, logs) and volatile run state. */
import path from 'node:path';

export interface ContainerPaths {
  /** OCI bundle directory: config.json, hosts, hostname, resolv.conf, ctr.log. */
  userdata: string;
  configJson: string;
  logPath: string;
  /** Volatile: conmon's pid files and the attach socket directory. */
  runDir: string;
  pidFile: string;
  conmonPidFile: string;
  /** conmon writes the exit code into exitDir/<id>. */
  exitDir: string;
  exitFile: string;
  /** conmon persists the exit code here too (survives a wiped run root). */
  persistDir: string;
  socketDir: string;
}

export function containerPaths(graphRoot: string, runRoot: string, id: string): ContainerPaths {
  const userdata = path.join(graphRoot, 'containers', id, 'userdata');
  const runDir = path.join(runRoot, 'containers', id);
  const exitDir = path.join(runRoot, 'exits');
  return {
    userdata,
    configJson: path.join(userdata, 'config.json'),
    logPath: path.join(userdata, 'ctr.log'),
    runDir,
    pidFile: path.join(runDir, 'pidfile'),
    conmonPidFile: path.join(runDir, 'conmon.pid'),
    exitDir,
    exitFile: path.join(exitDir, id),
    persistDir: path.join(userdata, 'persist'),
    socketDir: path.join(runRoot, 'socket'),
  };
}
