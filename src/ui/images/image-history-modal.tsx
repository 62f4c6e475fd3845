/** An image's history (its layers and the steps that made them), newest first. */
import type { ImageHistoryEntry } from '../../engine/types/image-ops.js';
import { useCall } from '../common/use-call.js';
import { formatAgo, formatBytes } from '../common/format.js';
import { Loaded } from '../containers/container-details.js';
import { _, fmt } from '../i18n.js';
import { Button, Modal, ModalBody, ModalFooter, ModalHeader, Table, Tbody, Td, Th, Thead, Tr } from '../pf.js';

export function ImageHistoryModal({ id, name, onClose }: { id: string; name: string; onClose(): void }) {
  const history = useCall<ImageHistoryEntry[]>('images.history', { name: id }, [id]);
  const cols = [_('Created'), _('Created by'), _('Size'), _('Comment')];
  return (
    <Modal isOpen variant="large" onClose={onClose} aria-labelledby="image-history-title">
      <ModalHeader title={fmt('History of image $0', name)} labelId="image-history-title" />
      <ModalBody>
        <Loaded state={history} what={fmt('image $0', name)}>
          {(entries) => (
            <Table aria-label={fmt('History of image $0', name)} variant="compact">
              <Thead>
                <Tr>
                  {cols.map((c) => (
                    <Th key={c}>{c}</Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {entries.map((e, i) => (
                  <Tr key={i}>
                    <Td dataLabel={cols[0]}>{formatAgo(e.Created)}</Td>
                    <Td dataLabel={cols[1]} modifier="breakWord">
                      {e.CreatedBy}
                    </Td>
                    <Td dataLabel={cols[2]}>{formatBytes(e.Size)}</Td>
                    <Td dataLabel={cols[3]}>{e.Comment}</Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
        </Loaded>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={onClose}>
          {_('Close')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
