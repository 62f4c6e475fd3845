/** The kebab menu of a pod: start, stop, restart, pause/resume, kill, Generate Kubernetes YAML, delete. */
import { useState } from 'react';
import type { PodSummary } from '../../engine/types/pod.js';
import { useAlerts } from '../common/alerts.js';
import { useBridge } from '../common/bridge-context.js';
import { ConfirmModal } from '../common/confirm-modal.js';
import { _, fmt, nfmt } from '../i18n.js';
import { DropdownItem } from '../pf.js';
import { KebabMenu } from '../common/kebab-menu.js';
import { KubeYamlModal } from './kube-yaml-modal.js';

export function PodActions({ pod }: { pod: PodSummary }) {
  const { client } = useBridge();
  const alerts = useAlerts();
  const [dialog, setDialog] = useState<'delete' | 'kube' | null>(null);
  const active = pod.Status === 'Running' || pod.Status === 'Degraded';
  const paused = pod.Status === 'Paused';
  const members = pod.Containers.filter((c) => c.Id !== pod.InfraId).length;

  const act = (close: () => void, label: string, method: string, params: Record<string, unknown> = {}) => async () => {
    close();
    try {
      await client.call(method, { name: pod.Id, ...params });
    } catch (e) {
      alerts.error(fmt('Could not $0 pod $1', label, pod.Name), e);
    }
  };
  const items = (close: () => void) => [
    !active && !paused && (
      <DropdownItem key="start" onClick={act(close, _('start'), 'pods.start')}>
        {_('Start')}
      </DropdownItem>
    ),
    (active || paused) && (
      <DropdownItem key="stop" onClick={act(close, _('stop'), 'pods.stop')}>
        {_('Stop')}
      </DropdownItem>
    ),
    active && (
      <DropdownItem key="restart" onClick={act(close, _('restart'), 'pods.restart')}>
        {_('Restart')}
      </DropdownItem>
    ),
    active && (
      <DropdownItem key="pause" onClick={act(close, _('pause'), 'pods.pause')}>
        {_('Pause')}
      </DropdownItem>
    ),
    paused && (
      <DropdownItem key="resume" onClick={act(close, _('resume'), 'pods.unpause')}>
        {_('Resume')}
      </DropdownItem>
    ),
    (active || paused) && (
      <DropdownItem key="kill" onClick={act(close, _('kill'), 'pods.kill')}>
        {_('Kill')}
      </DropdownItem>
    ),
    <DropdownItem key="kube" onClick={() => (close(), setDialog('kube'))}>
      {_('Generate Kubernetes YAML')}
    </DropdownItem>,
    <DropdownItem key="delete" isDanger onClick={() => (close(), setDialog('delete'))}>
      {_('Delete')}
    </DropdownItem>,
  ];
  return (
    <>
      <KebabMenu label={fmt('Actions for pod $0', pod.Name)}>{(close) => items(close).filter(Boolean)}</KebabMenu>
      {dialog === 'kube' && <KubeYamlModal pod={pod} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && (
        <ConfirmModal
          title={fmt('Delete pod $0?', pod.Name)}
          body={members ? nfmt('Its container is stopped and deleted with it.', 'Its $0 containers are stopped and deleted with it.', members) : _('The pod has no containers.')}
          confirmLabel={_('Delete')}
          danger
          onConfirm={async () => {
            try {
              await client.call('pods.remove', { name: pod.Id, force: true });
            } catch (e) {
              alerts.error(fmt('Could not delete pod $0', pod.Name), e);
            }
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
