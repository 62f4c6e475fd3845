/** A one-field dialog (rename, commit): the engine's error shows inside it, naming the object. */
import { useState } from 'react';
import { errorText } from './alerts.js';
import { _ } from '../i18n.js';
import { Alert, Button, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, TextInput } from '../pf.js';

export interface TextPromptModalProps {
  title: string;
  label: string;
  initial: string;
  confirmLabel: string;
  onSubmit(value: string): Promise<unknown>;
  onClose(): void;
}

export function TextPromptModal(p: TextPromptModalProps) {
  const [value, setValue] = useState(p.initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async () => {
    if (!value.trim()) {
      setError(_('The value cannot be empty'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await p.onSubmit(value.trim());
      p.onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal isOpen variant="small" onClose={p.onClose} aria-labelledby="text-prompt-title">
      <ModalHeader title={p.title} labelId="text-prompt-title" />
      <ModalBody>
        {error && <Alert variant="danger" isInline title={error} />}
        <Form onSubmit={(e) => (e.preventDefault(), void submit())}>
          <FormGroup label={p.label} fieldId="text-prompt-value" isRequired>
            <TextInput id="text-prompt-value" value={value} onChange={(_e, v) => setValue(v)} autoFocus />
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={submit} isLoading={busy} isDisabled={busy}>
          {p.confirmLabel}
        </Button>
        <Button variant="link" onClick={p.onClose}>
          {_('Cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
