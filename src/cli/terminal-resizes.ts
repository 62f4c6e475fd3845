/**
 * The CLI's terminal size as AttachStreams.resize: for engines that do not take over the terminal
 * itself (the remote engine sends these as resize frames; the local one hands its helper the real
 * terminal and ignores them). The current size is sent to each new listener, then every change.
 */
import { EventEmitter } from 'node:events';
import type { TerminalResizes } from '../engine/engine.js';
import { mayBeTerminal } from './stdio-terminal.js';

export function terminalResizes(out?: NodeJS.WriteStream): TerminalResizes | undefined {
  if (!out && !mayBeTerminal(1)) return undefined; // not even looking at process.stdout (start-up cost)
  out ??= process.stdout;
  if (!out.isTTY) return undefined;
  const tty = out;
  const sizes = new EventEmitter();
  const current = () => ({ rows: tty.rows, cols: tty.columns });
  tty.on('resize', () => sizes.emit('resize', current()));
  sizes.on('newListener', (event: string, listener: (s: { rows: number; cols: number }) => void) => {
    if (event === 'resize') queueMicrotask(() => listener(current()));
  });
  return sizes;
}
