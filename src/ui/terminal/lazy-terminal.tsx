/**
 * The terminal widget as the tabs use it: its code (xterm.js and its CSS) is a separate chunk,
 * fetched the first time a Logs or Console tab opens, so the first paint of the page does not pay for it.
 */
import { lazy, Suspense } from 'react';
import { _ } from '../i18n.js';
import { Spinner } from '../pf.js';
import type { TerminalViewProps } from './terminal-view.js';

export type { TerminalHandle } from './terminal-view.js';

const TerminalView = lazy(() => import('./terminal-view.js'));

export function LazyTerminal(props: TerminalViewProps) {
  return (
    <Suspense fallback={<Spinner size="md" aria-label={_('Loading the terminal')} />}>
      <TerminalView {...props} />
    </Suspense>
  );
}
