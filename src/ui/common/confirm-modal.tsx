/** A yes/no question with an optional checkbox (e.g. "force"), e.g. before deleting. */
import { type ReactNode, useState } from 'react';
import { _ } from '../i18n.js';
import { Button, Checkbox, Modal, ModalBody, ModalFooter, ModalHeader } from '../pf.js';

export interface ConfirmModalProps {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** A checkbox shown under the body; its value is passed to onConfirm. */
  option?: { label: string; initial: boolean };
  onConfirm(option: boolean): Promise<void>;
  onClose(): void;
}

export function ConfirmModal(p: ConfirmModalProps) {
  const [option, setOption] = useState(p.option?.initial ?? false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await p.onConfirm(option);
    } finally {
      setBusy(false);
      p.onClose();
    }
  };
  return (
    <Modal isOpen variant="small" onClose={p.onClose} aria-labelledby="confirm-modal-title">
      <ModalHeader title={p.title} labelId="confirm-modal-title" titleIconVariant={p.danger ? 'warning' : undefined} />
      <ModalBody>
        {p.body}
        {p.option && <Checkbox id="confirm-modal-option" label={p.option.label} isChecked={option} onChange={(_e, v) => setOption(v)} />}
      </ModalBody>
      <ModalFooter>
        <Button variant={p.danger ? 'danger' : 'primary'} onClick={confirm} isLoading={busy} isDisabled={busy}>
          {p.confirmLabel}
        </Button>
        <Button variant="link" onClick={p.onClose}>
          {_('Cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
