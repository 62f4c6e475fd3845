/** The container's log: the last lines, then followed while the container runs (a streaming bridge call, cancelled on close). */
import { useEffect, useRef, useState } from 'react';
import type { ContainerInfo, LogLine } from '../../engine/types/container.js';
import { errorText } from '../common/alerts.js';
import { useBridge } from '../common/bridge-context.js';
import { _, fmt } from '../i18n.js';
import { Alert } from '../pf.js';
import { containerName } from './container-groups.js';

const TAIL = 1000;
const MAX_LINES = 5000;

export function LogsTab({ container }: { container: ContainerInfo }) {
  const { client } = useBridge();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<unknown>();
  const pre = useRef<HTMLPreElement>(null);
  const follow = container.State === 'running';
  useEffect(() => {
    const abort = new AbortController();
    setLines([]);
    setError(undefined);
    client
      .call('containers.logs', { name: container.Id, tail: TAIL, follow }, { signal: abort.signal, onData: (d) => setLines((l) => [...l, ...(d as LogLine[])].slice(-MAX_LINES)) })
      .catch((e: unknown) => !abort.signal.aborted && setError(e));
    return () => abort.abort();
  }, [client, container.Id, follow, container.StartedAt]);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [lines]);
  return (
    <>
      {error !== undefined && <Alert variant="danger" isInline title={fmt('Could not read the logs of container $0', containerName(container))}>{errorText(error)}</Alert>}
      <pre ref={pre} className="selkie-logs" role="log" aria-live="polite" aria-label={fmt('Logs of container $0', containerName(container))}>
        {lines.length ? lines.map((l) => l.text + (l.partial ? '' : '\n')).join('') : _('No log output')}
      </pre>
    </>
  );
}
