/** What confines the container: capabilities against the default set, seccomp, labels, no-new-privileges, read-only rootfs, ID mappings; and who started it. */
import type { TopResult } from '../../engine/types/container-ops.js';
import type { ContainerInfo, ContainerInspect } from '../../engine/types/container.js';
import { useBridge } from '../common/bridge-context.js';
import { useCall } from '../common/use-call.js';
import { _, fmt } from '../i18n.js';
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm, Label } from '../pf.js';
import { containerName } from './container-groups.js';
import { seccompModeName, securityView, startedByText } from './security-view.js';

const yesNo = (v: boolean) => (v ? _('yes') : _('no'));
/** Capabilities as labels; with `defaults`, those outside the engine's default set are red (and say so). */
const capsList = (caps: string[], color?: 'green' | 'red', defaults?: ReadonlySet<string>) =>
  caps.length ? (
    <span className="selkie-caps">
      {caps.map((c) => {
        const extra = defaults !== undefined && defaults.size > 0 && !defaults.has(c);
        return (
          <Label key={c} isCompact color={extra ? 'red' : color} title={extra ? _('not in the engine’s default set') : undefined} data-default={extra ? 'no' : undefined}>
            {c.replace(/^CAP_/, '')}
          </Label>
        );
      })}
    </span>
  ) : (
    _('none')
  );

export function SecurityTab({ container, inspect }: { container: ContainerInfo; inspect: ContainerInspect }) {
  const { hello } = useBridge();
  const v = securityView(inspect, hello?.defaultCapabilities ?? []);
  const defaults = new Set(hello?.defaultCapabilities ?? []);
  const running = container.State === 'running' || container.State === 'paused';
  const top = useCall<TopResult | null>(running ? 'containers.top' : 'ping', running ? { name: container.Id, descriptors: ['pid', 'seccomp'] } : {}, [container.StartedAt, running]);
  const liveMode = running && top.data && typeof top.data === 'object' ? top.data.processes[0]?.[1] : undefined;
  const rows: [string, React.ReactNode][] = [
    [_('Effective capabilities'), capsList(v.effective, undefined, defaults)],
    [_('Bounding capabilities'), capsList(v.bounding, undefined, defaults)],
    [_('Added to the default set'), capsList(v.added, 'red')],
    [_('Dropped from the default set'), capsList(v.dropped, 'green')],
    [_('Privileged'), yesNo(v.privileged)],
    [_('Seccomp profile'), v.seccompProfile === 'default' ? _('the engine default') : v.seccompProfile],
    [_('Seccomp mode'), liveMode ? seccompModeName(liveMode) : running ? _('reading…') : _('not running')],
    [_('No new privileges'), yesNo(v.noNewPrivileges)],
    [_('Read-only root filesystem'), yesNo(v.readOnlyRootfs)],
    [_('SELinux process label'), v.processLabel || _('none (SELinux is not enabled)')],
    [_('SELinux mount label'), v.mountLabel || _('none')],
    [_('AppArmor profile'), v.apparmorProfile || _('none')],
    [_('Started by'), v.loginUid !== undefined ? startedByText(v) : running ? _('unknown (the engine does not say)') : _('not running')],
    [_('User namespace'), v.uidMap.length ? `${_('UID map')} ${v.uidMap.join(', ')}; ${_('GID map')} ${v.gidMap.join(', ')}` : v.usernsMode || _('host (no mapping)')],
  ];
  return (
    <DescriptionList isHorizontal isCompact aria-label={fmt('Security of container $0', containerName(container))}>
      {rows.map(([k, val]) => (
        <DescriptionListGroup key={k}>
          <DescriptionListTerm>{k}</DescriptionListTerm>
          <DescriptionListDescription>{val}</DescriptionListDescription>
        </DescriptionListGroup>
      ))}
    </DescriptionList>
  );
}
