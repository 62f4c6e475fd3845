/** Images of every engine: tags, ID, owner, created, size, used by; run, delete (chosen tag or the whole image), prune. */
import { useMemo, useState } from 'react';
import type { ContainerInfo } from '../../engine/types/container.js';
import type { ImageSummary } from '../../engine/types/image.js';
import { useAlerts } from '../common/alerts.js';
import { useBridge } from '../common/bridge-context.js';
import { ConfirmModal } from '../common/confirm-modal.js';
import { formatAgo, formatBytes, shortId } from '../common/format.js';
import type { Owner } from '../engines/engine-set.js';
import { OwnerScope, useEngines } from '../engines/engine-views.js';
import { _, fmt, nfmt } from '../i18n.js';
import { KebabMenu } from '../common/kebab-menu.js';
import { ImageHistoryModal } from './image-history-modal.js';
import { Button, DropdownItem, Table, Tbody, Td, Th, Thead, Tr } from '../pf.js';

type MaybeOwned<T> = T & { owner?: Owner };

export interface ImagesTableProps {
  images: MaybeOwned<ImageSummary>[];
  /** "Used by" counts the containers of the image's own engine. */
  containers: MaybeOwned<ContainerInfo>[];
  onRun(image: string, owner?: Owner): void;
}

const imageName = (i: ImageSummary) => i.RepoTags[0] ?? `<none> ${shortId(i.Id)}`;

export function ImagesTable({ images, containers, onRun }: ImagesTableProps) {
  const cols = [_('Name'), _('ID'), _('Owner'), _('Created'), _('Size'), _('Used by')];
  const views = useEngines();
  const labels = useMemo(() => new Map(views.map((v) => [v.owner as Owner | undefined, v.label])), [views]);
  const users = (i: MaybeOwned<ImageSummary>) => containers.filter((c) => c.owner === i.owner && (c.ImageID === i.Id || `sha256:${c.ImageID}` === i.Id)).length;
  return (
    <Table aria-label={_('Images')} variant="compact">
      <Thead>
        <Tr>
          {cols.map((c) => (
            <Th key={c}>{c}</Th>
          ))}
          <Th screenReaderText={_('Actions')} />
        </Tr>
      </Thead>
      <Tbody>
        {[...images]
          .sort((a, b) => b.Created - a.Created)
          .map((i) => (
            <Tr key={`${i.owner ?? ''}:${i.Id}`} data-image={imageName(i)} data-owner={i.owner}>
              <Td dataLabel={cols[0]}>
                {i.RepoTags.length ? i.RepoTags.map((t) => <div key={t}>{t}</div>) : <em>{_('<none>')}</em>}
              </Td>
              <Td dataLabel={cols[1]}>{shortId(i.Id)}</Td>
              <Td dataLabel={cols[2]} className="selkie-owner">
                {labels.get(i.owner) ?? i.owner ?? ''}
              </Td>
              <Td dataLabel={cols[3]}>{formatAgo(i.Created)}</Td>
              <Td dataLabel={cols[4]}>{formatBytes(i.Size)}</Td>
              <Td dataLabel={cols[5]}>{nfmt('$0 container', '$0 containers', users(i))}</Td>
              <Td isActionCell>
                <OwnerScope owner={i.owner}>
                  <ImageActions image={i} onRun={(name) => onRun(name, i.owner)} inUse={users(i) > 0} />
                </OwnerScope>
              </Td>
            </Tr>
          ))}
      </Tbody>
    </Table>
  );
}

function ImageActions({ image, onRun, inUse }: { image: ImageSummary; onRun(image: string): void; inUse: boolean }) {
  const { client } = useBridge();
  const alerts = useAlerts();
  const [remove, setRemove] = useState<string | null>(null);
  const [history, setHistory] = useState(false);
  const name = imageName(image);
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => onRun(image.RepoTags[0] ?? image.Id)} aria-label={fmt('Create a container from image $0', name)}>
        {_('Run')}
      </Button>
      <KebabMenu label={fmt('Actions for image $0', name)}>
        {(close) => [
          <DropdownItem key="history" onClick={() => (close(), setHistory(true))}>
            {_('History')}
          </DropdownItem>,
          ...(image.RepoTags.length > 1
            ? image.RepoTags.map((t) => (
                <DropdownItem key={t} onClick={() => (close(), setRemove(t))}>
                  {fmt('Remove tag $0', t)}
                </DropdownItem>
              ))
            : []),
          <DropdownItem key="delete" isDanger onClick={() => (close(), setRemove(''))}>
            {_('Delete image')}
          </DropdownItem>,
        ]}
      </KebabMenu>
      {history && <ImageHistoryModal id={image.Id} name={name} onClose={() => setHistory(false)} />}
      {remove !== null && (
        <ConfirmModal
          title={remove ? fmt('Remove tag $0?', remove) : fmt('Delete image $0?', name)}
          body={remove ? _('The image stays under its other names.') : inUse ? _('Containers use this image: deleting it deletes them too.') : _('The image and its unused layers are deleted.')}
          confirmLabel={remove ? _('Remove tag') : _('Delete')}
          danger
          onConfirm={async () => {
            try {
              if (remove) await client.call('images.untag', { name: image.Id, tag: remove });
              else await client.call('images.remove', { name: image.Id, force: inUse });
            } catch (e) {
              alerts.error(fmt('Could not delete image $0', remove || name), e);
            }
          }}
          onClose={() => setRemove(null)}
        />
      )}
    </>
  );
}
