/** Pull an image from a registry, with a progress bar. */
import { useState } from 'react';
import { errorText, useAlerts } from '../common/alerts.js';
import { OwnerSelect } from '../dialogs/owner-select.js';
import type { Owner } from '../engines/engine-set.js';
import { connectedOwners, useEngineClient, useEngines } from '../engines/engine-views.js';
import { _, fmt } from '../i18n.js';
import { Alert, Button, Checkbox, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, Progress, TextInput } from '../pf.js';
import { pullImage } from './pull-image.js';
import type { PullSummary } from './pull-progress.js';

/** `initialOwner`: the engine to pull into first (with two engines the dialog asks). */
export function PullImageModal({ initialOwner, onClose }: { initialOwner?: Owner; onClose(): void }) {
  const choices = connectedOwners(useEngines());
  const [owner, setOwner] = useState<Owner | undefined>(initialOwner ?? choices[0]?.owner);
  const client = useEngineClient(owner);
  const alerts = useAlerts();
  const [reference, setReference] = useState('');
  const [tlsVerify, setTlsVerify] = useState(true);
  const [progress, setProgress] = useState<PullSummary>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const pull = async () => {
    const ref = reference.trim();
    if (!ref || /\s/.test(ref)) {
      setError(_('Type an image reference, like registry.example.com/app:1.0'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setProgress({ text: _('Resolving'), done: false });
    try {
      await pullImage(client, ref, setProgress, { tlsVerify: tlsVerify ? undefined : false });
      alerts.success(fmt('Pulled image $0', ref));
      onClose();
    } catch (e) {
      setError(`${fmt('Could not pull image $0', ref)}: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal isOpen variant="medium" onClose={onClose} aria-labelledby="pull-image-title">
      <ModalHeader title={_('Pull an image')} labelId="pull-image-title" />
      <ModalBody>
        {error && <Alert variant="danger" isInline title={error} />}
        <Form onSubmit={(e) => (e.preventDefault(), void pull())}>
          <OwnerSelect id="pull-owner" choices={choices} value={owner} onChange={setOwner} />
          <FormGroup label={_('Image')} fieldId="pull-reference" isRequired>
            <TextInput id="pull-reference" value={reference} onChange={(_e, v) => setReference(v)} placeholder="registry.example.com/app:1.0" />
          </FormGroup>
          <Checkbox id="pull-tls-verify" label={_('Verify the registry’s TLS certificate')} isChecked={tlsVerify} onChange={(_e, v) => setTlsVerify(v)} />
          {progress && <Progress id="pull-progress" value={progress.percent ?? 0} title={progress.text} aria-label={_('Pull progress')} measureLocation="outside" />}
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={pull} isLoading={busy} isDisabled={busy}>
          {_('Pull')}
        </Button>
        <Button variant="link" onClick={onClose}>
          {_('Cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
