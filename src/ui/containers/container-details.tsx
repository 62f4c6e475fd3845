/** The expanded row of a container: Details, Logs, Console, Processes, Security and Inspect tabs (each loads when opened). */
import { useState } from 'react';
import type { ContainerInfo, ContainerInspect } from '../../engine/types/container.js';
import { errorText } from '../common/alerts.js';
import { formatAgo, shortId } from '../common/format.js';
import { useCall } from '../common/use-call.js';
import { _, fmt } from '../i18n.js';
import {
  Alert,
  CodeBlock,
  CodeBlockCode,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Spinner,
  Tab,
  Tabs,
  TabTitleText,
} from '../pf.js';
import { ConsoleTab } from './console-tab.js';
import { containerName } from './container-groups.js';
import { LogsTab } from './logs-tab.js';
import { ProcessesTab } from './processes-tab.js';
import { SecurityTab } from './security-tab.js';

export function ContainerDetails({ container }: { container: ContainerInfo }) {
  const [active, setActive] = useState<string | number>('details');
  const name = containerName(container);
  // Reloaded when the container changes state (started, stopped, renamed).
  const inspect = useCall<ContainerInspect>('containers.inspect', { name: container.Id }, [container.State, container.Names[0], container.StartedAt]);
  return (
    <Tabs activeKey={active} onSelect={(_e, k) => setActive(k)} mountOnEnter unmountOnExit aria-label={fmt('Details of container $0', name)}>
      <Tab eventKey="details" title={<TabTitleText>{_('Details')}</TabTitleText>}>
        <Loaded state={inspect} what={fmt('container $0', name)}>
          {(i) => <DetailsTab info={container} inspect={i} />}
        </Loaded>
      </Tab>
      <Tab eventKey="logs" title={<TabTitleText>{_('Logs')}</TabTitleText>}>
        <LogsTab container={container} />
      </Tab>
      <Tab eventKey="console" title={<TabTitleText>{_('Console')}</TabTitleText>}>
        <Loaded state={inspect} what={fmt('container $0', name)}>
          {(i) => <ConsoleTab container={container} inspect={i} />}
        </Loaded>
      </Tab>
      <Tab eventKey="processes" title={<TabTitleText>{_('Processes')}</TabTitleText>}>
        <ProcessesTab container={container} />
      </Tab>
      <Tab eventKey="security" title={<TabTitleText>{_('Security')}</TabTitleText>}>
        <Loaded state={inspect} what={fmt('container $0', name)}>
          {(i) => <SecurityTab container={container} inspect={i} />}
        </Loaded>
      </Tab>
      <Tab eventKey="inspect" title={<TabTitleText>{_('Inspect')}</TabTitleText>}>
        <Loaded state={inspect} what={fmt('container $0', name)}>
          {(i) => (
            <CodeBlock>
              <CodeBlockCode>{JSON.stringify(i, null, 2)}</CodeBlockCode>
            </CodeBlock>
          )}
        </Loaded>
      </Tab>
    </Tabs>
  );
}

export function Loaded<T>({ state, what, children }: { state: { data?: T; error?: unknown; loading: boolean }; what: string; children: (data: T) => React.ReactNode }) {
  if (state.error) return <Alert variant="danger" isInline title={fmt('Could not inspect $0', what)}>{errorText(state.error)}</Alert>;
  if (state.data === undefined) return <Spinner size="md" aria-label={_('Loading')} />;
  return <>{children(state.data)}</>;
}

function ports(c: ContainerInfo): string {
  return (c.Ports ?? []).map((p) => `${p.host_ip || '0.0.0.0'}:${p.host_port} → ${p.container_port}/${p.protocol}`).join(', ');
}

function DetailsTab({ info, inspect }: { info: ContainerInfo; inspect: ContainerInspect }) {
  const networks = inspect.NetworkSettings as { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> };
  const ips = [networks.IPAddress, ...Object.values(networks.Networks ?? {}).map((n) => n.IPAddress)].filter((x): x is string => !!x);
  const rows: [string, string][] = [
    [_('ID'), shortId(inspect.Id)],
    [_('Image'), inspect.ImageName || info.Image],
    [_('Command'), [...(inspect.Config.Entrypoint ?? []), ...(inspect.Config.Cmd ?? [])].join(' ')],
    [_('Created'), `${new Date(inspect.Created).toLocaleString()} (${formatAgo(info.Created)})`],
    [_('State'), info.Status],
    [_('Pod'), info.PodName ?? ''],
    [_('IP address'), [...new Set(ips)].join(', ')],
    [_('Ports'), ports(info)],
    [_('Runtime'), inspect.OCIRuntime],
  ];
  return (
    <DescriptionList isHorizontal isCompact aria-label={_('Container details')}>
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <DescriptionListGroup key={k}>
            <DescriptionListTerm>{k}</DescriptionListTerm>
            <DescriptionListDescription>{v}</DescriptionListDescription>
          </DescriptionListGroup>
        ))}
    </DescriptionList>
  );
}
