/** The container's processes (`top`): user and host user, PID and host PID, effective capabilities, seccomp. Refreshed while open. */
import { useEffect } from 'react';
import type { TopResult } from '../../engine/types/container-ops.js';
import type { ContainerInfo } from '../../engine/types/container.js';
import { errorText } from '../common/alerts.js';
import { useCall } from '../common/use-call.js';
import { _, fmt } from '../i18n.js';
import { Alert, Button, EmptyState, EmptyStateBody, Spinner, Table, Tbody, Td, Th, Thead, Tr } from '../pf.js';
import { containerName } from './container-groups.js';

export const TOP_DESCRIPTORS = ['user', 'huser', 'pid', 'hpid', 'capeff', 'seccomp', 'args'];
const REFRESH_MS = 5000;

export function ProcessesTab({ container }: { container: ContainerInfo }) {
  const name = containerName(container);
  if (container.State !== 'running' && container.State !== 'paused') {
    return (
      <EmptyState headingLevel="h4" titleText={_('Not running')}>
        <EmptyStateBody>{fmt('Container $0 has no processes: start it to see them.', name)}</EmptyStateBody>
      </EmptyState>
    );
  }
  return <RunningProcesses container={container} />;
}

function RunningProcesses({ container }: { container: ContainerInfo }) {
  const name = containerName(container);
  const top = useCall<TopResult>('containers.top', { name: container.Id, descriptors: TOP_DESCRIPTORS }, [container.StartedAt]);
  const { reload } = top;
  useEffect(() => {
    const t = setInterval(() => document.visibilityState === 'visible' && reload(), REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);
  if (top.error) return <Alert variant="danger" isInline title={fmt('Could not list the processes of container $0', name)}>{errorText(top.error)}</Alert>;
  if (!top.data) return <Spinner size="md" aria-label={_('Loading')} />;
  const { titles, processes } = top.data;
  return (
    <>
      <Button variant="secondary" size="sm" onClick={reload} isLoading={top.loading}>
        {_('Refresh')}
      </Button>
      <Table aria-label={fmt('Processes of container $0', name)} variant="compact">
        <Thead>
          <Tr>
            {titles.map((t) => (
              <Th key={t}>{t}</Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {processes.map((row, i) => (
            <Tr key={i}>
              {row.map((cell, j) => (
                <Td key={j} dataLabel={titles[j]} modifier={titles[j] === 'EFFECTIVE CAPS' ? 'breakWord' : undefined}>
                  {cell}
                </Td>
              ))}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  );
}
