/** The kebab menu of one container: start, stop, force stop, restart, pause/resume, rename, commit, delete. */
import { useState } from 'react';
import type { ContainerInfo } from '../../engine/types/container.js';
import { useAlerts } from '../common/alerts.js';
import { useBridge } from '../common/bridge-context.js';
import { ConfirmModal } from '../common/confirm-modal.js';
import { _, fmt } from '../i18n.js';
import { DropdownItem } from '../pf.js';
import { KebabMenu } from '../common/kebab-menu.js';
import { containerName } from './container-groups.js';
import { TextPromptModal } from '../common/text-prompt-modal.js';

type Dialog = 'rename' | 'delete' | 'commit' | null;

export function ContainerActions({ container }: { container: ContainerInfo }) {
  const { client } = useBridge();
  const alerts = useAlerts();
  const [dialog, setDialog] = useState<Dialog>(null);
  const name = containerName(container);
  const state = container.State;
  const running = state === 'running';
  const paused = state === 'paused';

  const act = (close: () => void, label: string, method: string, params: Record<string, unknown> = {}) => async () => {
    close();
    try {
      await client.call(method, { name: container.Id, ...params });
    } catch (e) {
      alerts.error(fmt('Could not $0 container $1', label, name), e);
    }
  };

  const items = (close: () => void) => [
    !running && !paused && (
      <DropdownItem key="start" onClick={act(close, _('start'), 'containers.start')}>
        {_('Start')}
      </DropdownItem>
    ),
    (running || paused) && (
      <DropdownItem key="stop" onClick={act(close, _('stop'), 'containers.stop')}>
        {_('Stop')}
      </DropdownItem>
    ),
    (running || paused) && (
      <DropdownItem key="force-stop" onClick={act(close, _('force stop'), 'containers.stop', { timeout: 0 })}>
        {_('Force stop')}
      </DropdownItem>
    ),
    running && (
      <DropdownItem key="restart" onClick={act(close, _('restart'), 'containers.restart')}>
        {_('Restart')}
      </DropdownItem>
    ),
    running && (
      <DropdownItem key="pause" onClick={act(close, _('pause'), 'containers.pause')}>
        {_('Pause')}
      </DropdownItem>
    ),
    paused && (
      <DropdownItem key="resume" onClick={act(close, _('resume'), 'containers.unpause')}>
        {_('Resume')}
      </DropdownItem>
    ),
    <DropdownItem key="rename" onClick={() => (close(), setDialog('rename'))}>
      {_('Rename')}
    </DropdownItem>,
    <DropdownItem key="commit" onClick={() => (close(), setDialog('commit'))}>
      {_('Commit')}
    </DropdownItem>,
    <DropdownItem key="delete" isDanger onClick={() => (close(), setDialog('delete'))}>
      {_('Delete')}
    </DropdownItem>,
  ];

  return (
    <>
      <KebabMenu label={fmt('Actions for container $0', name)}>{(close) => items(close).filter(Boolean)}</KebabMenu>
      {dialog === 'rename' && (
        <TextPromptModal
          title={fmt('Rename container $0', name)}
          label={_('New name')}
          initial={name}
          confirmLabel={_('Rename')}
          onSubmit={(newName) => client.call('containers.rename', { name: container.Id, newName })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'commit' && (
        <TextPromptModal
          title={fmt('Commit container $0 to an image', name)}
          label={_('Image name')}
          initial={`localhost/${name}:latest`}
          confirmLabel={_('Commit')}
          onSubmit={async (reference) => {
            await client.call('containers.commit', { name: container.Id, reference });
            alerts.success(fmt('Committed container $0 as $1', name, reference));
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmModal
          title={fmt('Delete container $0?', name)}
          body={running || paused ? _('The container is running: it is stopped first.') : _('The container and its writable layer are removed.')}
          confirmLabel={_('Delete')}
          danger
          onConfirm={async () => {
            try {
              await client.call('containers.remove', { name: container.Id, force: running || paused });
            } catch (e) {
              alerts.error(fmt('Could not delete container $0', name), e);
            }
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
