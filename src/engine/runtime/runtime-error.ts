/**
 * OCI runtime error output made readable, and the container-create failures Docker and Podman turn
 * into exit codes 126 (cannot invoke) and 127 (command not found).
 */
import { SelkieError } from '../errors.js';

/**
 * runc: `time="…" level=error msg="runc create failed: unable to start container process: exec: \"x\": …"`
 * crun: `crun: …` or the bare message. Returns the messages joined with "; ", without the log
 * decoration, the "runc create failed:" prefix and Go's quoting.
 */
export function cleanRuntimeMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const parsed = lines.map(parseLogLine);
  const errors = parsed.filter((p) => p.level === 'error' || p.level === 'fatal' || p.level === 'panic');
  const chosen = (errors.length ? errors : parsed).map((p) => stripPrefix(p.msg)).filter(Boolean);
  return [...new Set(chosen)].join('; ');
}

function parseLogLine(line: string): { level?: string; msg: string } {
  if (line.startsWith('{')) {
    try {
      const j = JSON.parse(line) as { level?: string; msg?: string };
      if (typeof j.msg === 'string') return { level: j.level, msg: j.msg };
    } catch {
      // not JSON after all
    }
  }
  const msg = line.match(/\bmsg="((?:[^"\\]|\\.)*)"/);
  if (msg) {
    const level = line.match(/\blevel=(\w+)/)?.[1];
    return { level, msg: unquoteGo(msg[1]!) };
  }
  return { msg: line };
}

function unquoteGo(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? ' ' : c === 't' ? ' ' : c));
}

function stripPrefix(msg: string): string {
  return msg
    .replace(/^(runc|crun|youki|kata-runtime|runsc)(: | \w+ failed: )/, '')
    .replace(/^\w+ failed: /, '')
    .replace(/^Error: /, '')
    .trim();
}

/**
 * The error for a failed container create, classified as Podman does (getOCIRuntimeError): "permission
 * denied" / "operation not permitted" → cannot-invoke (126); "executable file not found", "no such file
 * or directory" (unless about a namespace, cgroup, mount or the rootfs), "open executable" →
 * command-not-found (127); anything else → runtime (125).
 */
export function createError(runtimeName: string, rawMessage: string): SelkieError {
  const msg = cleanRuntimeMessage(rawMessage) || 'the OCI runtime failed without a message';
  const text = `${runtimeName}: ${msg}`;
  if (/permission denied|operation not permitted/i.test(msg)) {
    return new SelkieError('cannot-invoke', text, { hint: 'the container command (or a file it needs) is not executable or not accessible' });
  }
  // A missing namespace, cgroup or mount source is the engine's problem, not the container command's.
  const missing = /no such file or directory/i.test(msg) && (/\bexec[: ]/.test(msg) || !/netns|namespace|cgroup|mount|rootfs/i.test(msg));
  if (/executable file not found|open executable/i.test(msg) || missing) {
    return new SelkieError('command-not-found', text, { hint: 'check the command and the PATH inside the image' });
  }
  return new SelkieError('runtime', text);
}

/** The error for a failed runtime command other than create (start, kill, delete, state, ...). */
export function commandError(runtimeName: string, args: readonly string[], stderr: string, fallback: string): SelkieError {
  const msg = cleanRuntimeMessage(stderr) || fallback;
  return new SelkieError('runtime', `${runtimeName} ${args.join(' ')}: ${msg}`);
}
