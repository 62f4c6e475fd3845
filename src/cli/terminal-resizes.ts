/**
 * The CLI's terminal size as AttachStreams.resize: for engines that do not take over the terminal
 * itself (the remote engine sends these as resize frames; the local one hands its helper the real
 * terminal and ignores them). The current size is sent to each new listener, then every change.
 */
import { EventEmitter } from 'node:events';
import type { TerminalResizes } from '../engine/engine.js';

export function terminalResizes(out: NodeJS.WriteStream = process.stdout): TerminalResizes | undefined {
  if (!out.isTTY) return undefined;
  const sizes = new EventEmitter();
  const current = () => ({ rows: out.rows, cols: out.columns });
  out.on('resize', () => sizes.emit('resize', current()));
  sizes.on('newListener', (event: string, listener: (s: { rows: number; cols: number }) => void) => {
    if (event === 'resize') queueMicrotask(() => listener(current()));
  });
  return sizes;
}
