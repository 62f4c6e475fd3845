/**
 * Containers grouped by pod: one table per pod (its header carries the pod's state, owner and
 * actions), then the containers outside pods. Each row talks to the engine that owns it.
 */
import { memo, type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import type { ContainerStats } from '../../engine/containers/container-stats.js';
import type { ContainerInfo } from '../../engine/types/container.js';
import { RhMicronsCaretDownIconConfig } from '@patternfly/react-icons/dist/esm/icons/rh-microns-caret-down-icon.js';
import { BridgeContext } from '../common/bridge-context.js';
import { cx, pfButton, pfTable } from '../common/pf-classes.js';
import { formatBytes, formatPercent } from '../common/format.js';
import { ownedKey } from '../common/use-engine-lists.js';
import type { Owner } from '../engines/engine-set.js';
import { type EngineView, useEngines } from '../engines/engine-views.js';
import { _, fmt } from '../i18n.js';
import { ExpandableRowContent, Flex, FlexItem, Label, Table, Td, Th, Thead, Title, Tr } from '../pf.js';
import { PodActions } from '../pods/pod-actions.js';
import { ContainerActions } from './container-actions.js';
import { ContainerDetails } from './container-details.js';
import { type ContainerGroup, containerName } from './container-groups.js';
import { StateLabel } from './state-label.js';

/** Its children talk to `engine` (when there is one: a table rendered alone uses the surrounding bridge). */
function Scope({ engine, children }: { engine: EngineView | undefined; children: ReactNode }) {
  return engine ? <BridgeContext.Provider value={engine.bridge}>{children}</BridgeContext.Provider> : <>{children}</>;
}

/** `stats` is keyed by ownedKey (owner:ID). */
export function ContainersTables({ groups, stats }: { groups: ContainerGroup[]; stats: Map<string, ContainerStats> }) {
  const views = useEngines();
  const engines = useMemo(() => new Map<Owner | undefined, EngineView>(views.map((v) => [v.owner, v])), [views]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  // When the first rows are in the document (the first paint follows): see test/ui/first-paint-probe.ts.
  useEffect(() => {
    if (!performance.getEntriesByName('selkie:rows').length) performance.mark('selkie:rows');
  }, []);
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
        <section key={g.pod ? ownedKey(g.pod) : 'no-pod'} className="selkie-group" aria-label={g.pod ? fmt('Pod $0', g.pod.Name) : _('Containers outside pods')}>
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
                {engines.size > 1 && (
                  <FlexItem>
                    <Label isCompact variant="outline" className="selkie-owner">
                      {fmt('owner: $0', engines.get(g.pod.owner)?.label ?? '')}
                    </Label>
                  </FlexItem>
                )}
                <FlexItem align={{ default: 'alignRight' }}>
                  <Scope engine={engines.get(g.pod.owner)}>
                    <PodActions pod={g.pod} />
                  </Scope>
                </FlexItem>
              </>
            )}
          </Flex>
          <ContainerTable containers={g.containers} stats={stats} engines={engines} expanded={expanded} toggle={toggle} label={g.pod ? fmt('Containers of pod $0', g.pod.Name) : _('Containers outside pods')} />
        </section>
      ))}
    </>
  );
}

interface TableProps {
  containers: (ContainerInfo & { owner?: Owner })[];
  stats: Map<string, ContainerStats>;
  engines: Map<Owner | undefined, EngineView>;
  expanded: Set<string>;
  toggle(id: string): void;
  label: string;
}

const columns = () => [_('Name'), _('Image'), _('Command'), _('Owner'), _('State'), _('CPU'), _('Memory')];

function ContainerTable({ containers, stats, engines, expanded, toggle, label }: TableProps) {
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
      {containers.map((c) => {
        const key = ownedKey(c);
        return <ContainerRow key={key} rowKey={key} container={c} engine={engines.get(c.owner)} stats={stats.get(key)} isOpen={expanded.has(key)} toggle={toggle} />;
      })}
    </Table>
  );
}

interface RowProps {
  container: ContainerInfo & { owner?: Owner };
  /** owner:ID, what `toggle` is called with. */
  rowKey: string;
  /** The engine the container belongs to. */
  engine?: EngineView;
  stats?: ContainerStats;
  isOpen: boolean;
  toggle(id: string): void;
}

/** The caret of PatternFly's expand toggle (its icon's path data, drawn here without the icon component). */
const caret = RhMicronsCaretDownIconConfig.icon;

/**
 * One container (and its details when expanded); re-rendered only when its own props change. The row
 * is PatternFly's table markup written directly (pf-classes.ts): Tr and Td are heavy per cell (each
 * Td measures itself after mounting, each Tr re-renders once after mounting), and 100 rows of ten
 * cells made most of the first paint's rendering time. The expanded details use the components.
 */
const ContainerRow = memo(function ContainerRow({ container: c, rowKey, engine, stats: s, isOpen, toggle }: RowProps) {
  const cols = columns();
  const name = containerName(c);
  const detailsId = `details-${c.owner ?? ''}-${c.Id}`;
  return (
    <Scope engine={engine}>
      <tbody className={cx(pfTable.tbody, isOpen && pfTable.expanded)} role="rowgroup">
        <tr className={pfTable.tr} data-container={name} data-owner={c.owner}>
          <td className={cx(pfTable.td, pfTable.toggle)}>
            <button
              type="button"
              className={cx(pfButton.button, pfButton.plain, pfButton.small, isOpen && pfButton.expanded)}
              aria-label={fmt('Show details of container $0', name)}
              aria-expanded={isOpen}
              aria-controls={isOpen ? detailsId : undefined}
              onClick={() => toggle(rowKey)}
            >
              <span className={pfButton.icon}>
                {/* A div as in PatternFly's own toggle: the rotation of an expanded row's caret needs a block. */}
                <div className={pfTable.toggleIcon}>
                  <svg className="pf-v6-svg" fill="currentColor" viewBox={`0 0 ${caret.width} ${caret.height}`} aria-hidden width="1em" height="1em">
                    <path d={caret.svgPathData as string} />
                  </svg>
                </div>
              </span>
            </button>
          </td>
          <td className={pfTable.td} data-label={cols[0]}>
            <strong>{name}</strong>
          </td>
          <td className={cx(pfTable.td, pfTable.truncate)} data-label={cols[1]} title={c.Image}>
            {c.Image}
          </td>
          <td className={cx(pfTable.td, pfTable.truncate)} data-label={cols[2]} title={c.Command.join(' ')}>
            {c.Command.join(' ')}
          </td>
          <td className={cx(pfTable.td, 'selkie-owner')} data-label={cols[3]}>
            {engine?.label ?? c.owner ?? ''}
          </td>
          <td className={pfTable.td} data-label={cols[4]}>
            <StateLabel state={c.State} />
          </td>
          <td className={pfTable.td} data-label={cols[5]}>
            {c.State === 'running' ? formatPercent(s?.CPUPerc) : ''}
          </td>
          <td className={pfTable.td} data-label={cols[6]}>
            {c.State === 'running' && s ? formatBytes(s.MemUsage) : ''}
          </td>
          <td className={cx(pfTable.td, pfTable.action)}>
            <ContainerActions container={c} />
          </td>
        </tr>
        {isOpen && (
          <Tr isExpanded id={detailsId}>
            <Td colSpan={cols.length + 2}>
              <ExpandableRowContent>
                <ContainerDetails container={c} />
              </ExpandableRowContent>
            </Td>
          </Tr>
        )}
      </tbody>
    </Scope>
  );
}, sameRow);

/** A refreshed list has new objects: compare what the row shows. */
function sameRow(a: RowProps, b: RowProps): boolean {
  const x = a.container;
  const y = b.container;
  return (
    a.isOpen === b.isOpen &&
    a.rowKey === b.rowKey &&
    a.engine?.bridge === b.engine?.bridge &&
    a.engine?.label === b.engine?.label &&
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
