/** React, PatternFly's styles and the App: the page's big chunk, loaded while the bridge starts. */
import '@patternfly/react-core/dist/styles/base.css';
import './selkie.css';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import type { EngineSet } from './engines/engine-set.js';
import { _ } from './i18n.js';

const root = () => createRoot(document.getElementById('app')!);

export function renderApp(engines: EngineSet): void {
  root().render(<App engines={engines} />);
}

export function renderFailure(e: unknown): void {
  root().render(<p role="alert">{`${_('Selkie cannot start')}: ${e instanceof Error ? e.message : String(e)}`}</p>);
}
