/** Containers grouped by pod: one table per pod (its header carries the pod's state and actions), then the containers outside pods. */
import { memo, useCallback, useState } from 'react';
import type { ContainerStats } from '../../engine/containers/container-stats.js';
import type { ContainerInfo } from '../../engine/types/container.js';
import { formatBytes, formatPercent } from '../common/format.js';
import { _, fmt } from '../i18n.js';
import { ExpandableRowContent, Flex, FlexItem, Table, Tbody, Td, Th, Thead, Title, Tr } from '../pf.js';
import { PodActions } from '../pods/pod-actions.js';
import { ContainerActions } from './container-actions.js';
import { ContainerDetails } from './container-details.js';
import { type ContainerGroup, containerName } from './container-groups.js';
import { StateLabel } from './state-label.js';

export function ContainersTables({ groups, stats }: { groups: ContainerGroup[]; stats: Map<string, ContainerStats> }) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setExpanded((s) => {
        const n = new Set(s);
        if (!n.delete(id)) n.add(id);
        return n;
      }),
    [],
  );
  return (
    <>
      {groups.map((g) => (
        <section key={g.pod?.Id ?? 'no-pod'} className="selkie-group" aria-label={g.pod ? fmt('Pod $0', g.pod.Name) : _('Containers outside pods')}>
          <Flex className="selkie-group-header" alignItems={{ default: 'alignItemsCenter' }}>
            <FlexItem>
              <Title headingLevel="h2" size="lg">
                {g.pod ? fmt('Pod $0', g.pod.Name) : _('Containers')}
              </Title>
            </FlexItem>
            {g.pod && (
              <>
                <FlexItem>
                  <StateLabel state={g.pod.Status} />
                </FlexItem>
                <FlexItem align={{ default: 'alignRight' }}>
                  <PodActions pod={g.pod} />
                </FlexItem>
              </>
            )}
          </Flex>
          <ContainerTable containers={g.containers} stats={stats} expanded={expanded} toggle={toggle} label={g.pod ? fmt('Containers of pod $0', g.pod.Name) : _('Containers outside pods')} />
        </section>
      ))}
    </>
  );
}

interface TableProps {
  containers: ContainerInfo[];
  stats: Map<string, ContainerStats>;
  expanded: Set<string>;
  toggle(id: string): void;
  label: string;
}

const columns = () => [_('Name'), _('Image'), _('Command'), _('State'), _('CPU'), _('Memory')];

function ContainerTable({ containers, stats, expanded, toggle, label }: TableProps) {
  if (!containers.length) return <p className="selkie-empty-group">{_('No containers in this pod are shown')}</p>;
  const cols = columns();
  return (
    <Table aria-label={label} variant="compact" isExpandable>
      <Thead>
        <Tr>
          <Th screenReaderText={_('Details')} />
          {cols.map((c) => (
            <Th key={c}>{c}</Th>
          ))}
          <Th screenReaderText={_('Actions')} />
        </Tr>
      </Thead>
      {containers.map((c, rowIndex) => (
        <ContainerRow key={c.Id} container={c} stats={stats.get(c.Id)} rowIndex={rowIndex} isOpen={expanded.has(c.Id)} toggle={toggle} />
      ))}
    </Table>
  );
}

interface RowProps {
  container: ContainerInfo;
  stats?: ContainerStats;
  rowIndex: number;
  isOpen: boolean;
  toggle(id: string): void;
}

/** One container (and its details when expanded); re-rendered only when its own props change. */
const ContainerRow = memo(function ContainerRow({ container: c, stats: s, rowIndex, isOpen, toggle }: RowProps) {
  const cols = columns();
  const name = containerName(c);
  return (
    <Tbody isExpanded={isOpen}>
      <Tr data-container={name}>
        <Td expand={{ rowIndex, isExpanded: isOpen, onToggle: () => toggle(c.Id), expandId: `expand-${c.Id}` }} aria-label={fmt('Show details of container $0', name)} />
        <Td dataLabel={cols[0]}>
          <strong>{name}</strong>
        </Td>
        <Td dataLabel={cols[1]} modifier="truncate">
          {c.Image}
        </Td>
        <Td dataLabel={cols[2]} modifier="truncate">
          {c.Command.join(' ')}
        </Td>
        <Td dataLabel={cols[3]}>
          <StateLabel state={c.State} />
        </Td>
        <Td dataLabel={cols[4]}>{c.State === 'running' ? formatPercent(s?.CPUPerc) : ''}</Td>
        <Td dataLabel={cols[5]}>{c.State === 'running' && s ? formatBytes(s.MemUsage) : ''}</Td>
        <Td isActionCell>
          <ContainerActions container={c} />
        </Td>
      </Tr>
      {isOpen && (
        <Tr isExpanded>
          <Td colSpan={cols.length + 2}>
            <ExpandableRowContent>
              <ContainerDetails container={c} />
            </ExpandableRowContent>
          </Td>
        </Tr>
      )}
    </Tbody>
  );
}, sameRow);

/** A refreshed list has new objects: compare what the row shows. */
function sameRow(a: RowProps, b: RowProps): boolean {
  const x = a.container;
  const y = b.container;
  return (
    a.isOpen === b.isOpen &&
    a.rowIndex === b.rowIndex &&
    a.toggle === b.toggle &&
    a.stats?.CPUPerc === b.stats?.CPUPerc &&
    a.stats?.MemUsage === b.stats?.MemUsage &&
    x.Id === y.Id &&
    x.State === y.State &&
    x.Status === y.Status &&
    x.StartedAt === y.StartedAt &&
    x.Names[0] === y.Names[0] &&
    x.Image === y.Image &&
    x.PodName === y.PodName &&
    x.Command.join('\0') === y.Command.join('\0')
  );
}
