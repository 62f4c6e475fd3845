/**
 * The container's log in the terminal widget: the last lines, then followed while the container runs
 * (a streaming bridge call, cancelled when the tab closes). Colours and cursor movements in the log
 * show as a terminal shows them.
 */
import { useEffect, useState } from 'react';
import type { ContainerInfo, LogLine } from '../../engine/types/container.js';
import { errorText } from '../common/alerts.js';
import { useBridge } from '../common/bridge-context.js';
import { _, fmt } from '../i18n.js';
import { Alert } from '../pf.js';
import { LazyTerminal, type TerminalHandle } from '../terminal/lazy-terminal.js';
import { containerName } from './container-groups.js';

const TAIL = 1000;

/** Log lines as terminal text (lines end in "\n"; the terminal turns that into "\r\n"). */
export function logText(lines: LogLine[]): string {
  return lines.map((l) => l.text + (l.partial ? '' : '\n')).join('');
}

export function LogsTab({ container }: { container: ContainerInfo }) {
  const { client } = useBridge();
  const [term, setTerm] = useState<TerminalHandle>();
  const [error, setError] = useState<unknown>();
  const [empty, setEmpty] = useState(false);
  const follow = container.State === 'running';
  useEffect(() => {
    if (!term) return;
    const abort = new AbortController();
    term.reset();
    setError(undefined);
    setEmpty(false);
    let any = false;
    client
      .call<{ lines: number }>('containers.logs', { name: container.Id, tail: TAIL, follow }, {
        signal: abort.signal,
        onData: (d) => {
          any = true;
          term.write(logText(d as LogLine[]));
        },
      })
      .then(
        () => !abort.signal.aborted && setEmpty(!any),
        (e: unknown) => !abort.signal.aborted && setError(e),
      );
    return () => abort.abort();
  }, [term, client, container.Id, follow, container.StartedAt]);
  const name = containerName(container);
  return (
    <>
      {error !== undefined && <Alert variant="danger" isInline title={fmt('Could not read the logs of container $0', name)}>{errorText(error)}</Alert>}
      {empty && <p className="selkie-terminal-bar__text">{fmt('Container $0 has no log output.', name)}</p>}
      <LazyTerminal label={fmt('Logs of container $0', name)} role="log" readOnly convertEol onReady={setTerm} />
    </>
  );
}
