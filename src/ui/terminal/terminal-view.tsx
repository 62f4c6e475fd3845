/**
 * The terminal widget (xterm.js, fitted to its box): a chunk of its own, loaded only when a Logs or
 * Console tab opens (lazy-terminal.tsx). The owner gets a handle to write to it; typed keys go to
 * `onInput` unless it is read-only.
 */
import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import { mirrorStyleElements } from './csp-styles.js';

export interface TerminalHandle {
  write(text: string): void;
  /** Clear the screen and scrollback (a new session). */
  reset(): void;
  focus(): void;
  /** Columns and rows as fitted now. */
  size(): { cols: number; rows: number };
}

export interface TerminalViewProps {
  /** The accessible name of the terminal (and of its input). */
  label: string;
  /** 'log' for output only (Logs), 'group' for an interactive terminal (Console). */
  role: 'log' | 'group';
  readOnly?: boolean;
  /** Turn "\n" into "\r\n" (log text); a TTY's output already has both. */
  convertEol?: boolean;
  onReady(handle: TerminalHandle): void;
  onInput?(data: string): void;
  /** The terminal was fitted to a new number of columns and rows. */
  onResize?(size: { cols: number; rows: number }): void;
}

export default function TerminalView({ label, role, readOnly, convertEol, onReady, onInput, onResize }: TerminalViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const input = useRef(onInput);
  input.current = onInput;
  const resized = useRef(onResize);
  resized.current = onResize;
  const ready = useRef(onReady);
  ready.current = onReady;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const term = new Terminal({
      convertEol,
      disableStdin: readOnly,
      cursorBlink: !readOnly,
      cursorStyle: readOnly ? 'underline' : 'block',
      cursorInactiveStyle: readOnly ? 'none' : 'outline',
      scrollback: 5000,
      // Local fonts by name: xterm measures the glyphs once, so neither CSS variables nor web fonts
      // that are still loading (PatternFly's Red Hat Mono) would measure right.
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      theme: { background: '#151515', foreground: '#e0e0e0' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    const unmirror = mirrorStyleElements(element);
    term.open(element);
    term.textarea?.setAttribute('aria-label', label);
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // Not laid out yet (hidden tab): the next resize fits it.
      }
    };
    refit();
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(refit);
    observer?.observe(element);
    const typed = term.onData((d) => input.current?.(d));
    const sized = term.onResize(({ cols, rows }) => resized.current?.({ cols, rows }));
    ready.current({
      write: (text) => term.write(text),
      reset: () => term.reset(),
      focus: () => term.focus(),
      size: () => ({ cols: term.cols, rows: term.rows }),
    });
    return () => {
      observer?.disconnect();
      typed.dispose();
      sized.dispose();
      term.dispose();
      unmirror();
    };
    // The terminal lives as long as the component; label/options changes do not rebuild it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={box} className="selkie-terminal" role={role} aria-label={label} />;
}
