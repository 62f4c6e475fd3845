/**
 * Whether a standard stream may be a terminal, answered without creating process.stdout/stderr
 * (their first use loads Node's stream modules: several ms of a command's start-up). A terminal is a
 * character device of the tty, console or pseudo-terminal kinds; anything else (a pipe, a file,
 * /dev/null) is certainly not one. "May be": the caller confirms with the stream's isTTY.
 */
import fs from 'node:fs';

/** Linux character-device majors of terminals: tty/console (4, 5), Unix98 pseudo-terminals (136-143). */
const TERMINAL_MAJORS = new Set([4, 5, 136, 137, 138, 139, 140, 141, 142, 143]);

export function mayBeTerminal(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    return st.isCharacterDevice() && TERMINAL_MAJORS.has(Math.floor(st.rdev / 256) & 0xfff);
  } catch {
    return false;
  }
}
