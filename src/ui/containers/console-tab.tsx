/**
 * The container's console in the terminal widget: attached to its own terminal when it has a TTY,
 * otherwise a shell (/bin/sh) exec'd in it. Keys go to the container; the session ends (is
 * cancelled) when the tab closes, and can be opened again once it ended.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ContainerInfo, ContainerInspect } from '../../engine/types/container.js';
import { errorText } from '../common/alerts.js';
import { useBridge } from '../common/bridge-context.js';
import { _, fmt } from '../i18n.js';
import { Alert, Button, EmptyState, EmptyStateBody, Spinner } from '../pf.js';
import { LazyTerminal, type TerminalHandle } from '../terminal/lazy-terminal.js';
import { startTerminalSession, type TerminalSession } from '../terminal/terminal-session.js';
import { containerName } from './container-groups.js';

export const CONSOLE_SHELL = '/bin/sh';

/** How the console reaches the container: its own terminal, or a shell beside its process. */
export function consoleMode(inspect: Pick<ContainerInspect, 'Config'>): { method: 'containers.attach' | 'containers.exec'; readOnly: boolean } {
  if (inspect.Config.Tty) return { method: 'containers.attach', readOnly: !inspect.Config.OpenStdin };
  return { method: 'containers.exec', readOnly: false };
}

export function ConsoleTab({ container, inspect }: { container: ContainerInfo; inspect: ContainerInspect }) {
  const name = containerName(container);
  if (container.State !== 'running') {
    return (
      <EmptyState headingLevel="h4" titleText={container.State === 'paused' ? _('Paused') : _('Not running')}>
        <EmptyStateBody>
          {container.State === 'paused' ? fmt('Container $0 is paused: resume it to use its console.', name) : fmt('Container $0 is not running: start it to use its console.', name)}
        </EmptyStateBody>
      </EmptyState>
    );
  }
  return <RunningConsole key={`${container.Id}:${container.StartedAt}`} container={container} inspect={inspect} />;
}

type SessionState = { state: 'starting' } | { state: 'open' } | { state: 'ended'; text: string } | { state: 'failed'; error: unknown };

function RunningConsole({ container, inspect }: { container: ContainerInfo; inspect: ContainerInspect }) {
  const { client } = useBridge();
  const name = containerName(container);
  const { method, readOnly } = consoleMode(inspect);
  const [term, setTerm] = useState<TerminalHandle>();
  const [session, setSession] = useState<TerminalSession>();
  const [status, setStatus] = useState<SessionState>({ state: 'starting' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!term) return;
    term.reset();
    setStatus({ state: 'starting' });
    const size = term.size();
    const params = method === 'containers.exec' ? { name: container.Id, shell: CONSOLE_SHELL, cols: size.cols, rows: size.rows } : { name: container.Id, cols: size.cols, rows: size.rows };
    let first = true;
    const s = startTerminalSession(client, method, params, (text) => {
      if (first) setStatus({ state: 'open' });
      first = false;
      term.write(text);
    });
    setSession(s);
    let current = true;
    s.done.then(
      (end) => {
        if (!current || end.cancelled) return;
        const text = end.exitCode !== undefined ? fmt('The shell exited with code $0.', end.exitCode) : fmt('Container $0 ended its output.', name);
        term.write(`\r\n\x1b[2m[${text}]\x1b[0m\r\n`);
        setStatus({ state: 'ended', text });
      },
      (error: unknown) => current && setStatus({ state: 'failed', error }),
    );
    if (method === 'containers.attach') setStatus({ state: 'open' });
    term.focus();
    return () => {
      current = false;
      s.cancel();
      setSession(undefined);
    };
  }, [term, client, method, container.Id, name, generation]);

  const onInput = useCallback((data: string) => session?.send(data), [session]);
  const onResize = useCallback((size: { cols: number; rows: number }) => session?.resize(size), [session]);
  const describe =
    method === 'containers.attach'
      ? readOnly
        ? fmt('Attached to the terminal of container $0, read only: it was created without an open standard input (-i).', name)
        : fmt('Attached to the terminal of container $0.', name)
      : fmt('Shell $0 in container $1.', CONSOLE_SHELL, name);

  return (
    <>
      <div className="selkie-terminal-bar">
        <span className="selkie-terminal-bar__text">{describe}</span>
        {status.state === 'starting' && <Spinner size="sm" aria-label={_('Connecting')} />}
        {(status.state === 'ended' || status.state === 'failed') && (
          <Button variant="secondary" size="sm" onClick={() => setGeneration((g) => g + 1)}>
            {_('Reconnect')}
          </Button>
        )}
      </div>
      {status.state === 'failed' && (
        <Alert variant="danger" isInline title={fmt('Could not open the console of container $0', name)}>
          {errorText(status.error)}
        </Alert>
      )}
      <LazyTerminal label={fmt('Console of container $0', name)} role="group" readOnly={readOnly} onReady={setTerm} onInput={onInput} onResize={onResize} />
    </>
  );
}
