/** Create pod: name, published ports, shared namespaces, and its containers (image, name, command, env each); created and started in one call. */
import { useState } from 'react';
import type { ImageSummary } from '../../engine/types/image.js';
import type { PodNamespace } from '../../engine/types/pod.js';
import { errorText, useAlerts } from '../common/alerts.js';
import type { Owner } from '../engines/engine-set.js';
import { connectedOwners, useEngineClient, useEngines } from '../engines/engine-views.js';
import { _, fmt } from '../i18n.js';
import { Alert, Button, Checkbox, Flex, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, TextArea, TextInput, Title } from '../pf.js';
import { Field, validated } from './field.js';
import { checkImage } from './image-check.js';
import { OwnerSelect } from './owner-select.js';
import { emptyPodContainer, emptyPodForm, hasErrors, type PodContainerValues, type PodFormErrors, type PodFormValues, podParamsFromForm } from './pod-form.js';

const namespaces: { ns: PodNamespace; label: string }[] = [
  { ns: 'net', label: 'Network' },
  { ns: 'ipc', label: 'IPC' },
  { ns: 'uts', label: 'UTS (hostname)' },
  { ns: 'pid', label: 'PID' },
  { ns: 'cgroup', label: 'cgroup' },
];

export function CreatePodModal({ images: allImages, onClose }: { images: (ImageSummary & { owner?: Owner })[]; onClose(): void }) {
  const choices = connectedOwners(useEngines());
  const [owner, setOwner] = useState<Owner | undefined>(choices[0]?.owner);
  const client = useEngineClient(owner);
  const images = allImages.filter((i) => !owner || !i.owner || i.owner === owner);
  const alerts = useAlerts();
  const [v, setV] = useState<PodFormValues>(emptyPodForm);
  const [errors, setErrors] = useState<PodFormErrors>({ pod: {}, containers: [] });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const tags = images.flatMap((i) => i.RepoTags);

  const setContainer = (i: number, k: keyof PodContainerValues, value: string) =>
    setV((old) => ({ ...old, containers: old.containers.map((c, j) => (j === i ? { ...c, [k]: value } : c)) }));
  const toggleNs = (ns: PodNamespace, on: boolean) => setV((old) => ({ ...old, share: on ? [...old.share, ns] : old.share.filter((x) => x !== ns) }));

  const submit = async () => {
    setFailure(undefined);
    const { params, errors: found } = podParamsFromForm(v);
    setErrors(found);
    if (!params) return;
    setBusy(true);
    try {
      // Every image must exist before anything is created.
      const checks = await Promise.all(params.containers.map((c) => checkImage(client, c.image)));
      const next: PodFormErrors = { pod: {}, containers: v.containers.map(() => ({})) };
      checks.forEach((c, i) => {
        if (!c.ok) next.containers[i].image = c.error;
        else if (!c.check.local) next.containers[i].image = fmt('Image $0 is not stored here: pull it first from the Images tab', params.containers[i].image);
      });
      if (hasErrors(next)) {
        setErrors(next);
        return;
      }
      const created = await client.call<{ name: string }>('pods.create', { ...params, start: true });
      alerts.success(fmt('Pod $0 is running', created.name));
      onClose();
    } catch (e) {
      setFailure(`${fmt('Could not create pod $0', v.name.trim())}: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal isOpen variant="medium" onClose={onClose} aria-labelledby="create-pod-title">
      <ModalHeader title={_('Create pod')} labelId="create-pod-title" />
      <ModalBody>
        {failure && <Alert variant="danger" isInline title={failure} />}
        <Form onSubmit={(e) => (e.preventDefault(), void submit())}>
          <OwnerSelect id="pod-owner" choices={choices} value={owner} onChange={setOwner} />
          <Field id="pod-name" label={_('Name')} error={errors.pod.name} required>
            <TextInput id="pod-name" value={v.name} onChange={(_e, x) => setV((o) => ({ ...o, name: x }))} validated={validated(errors.pod.name)} />
          </Field>
          <Field id="pod-ports" label={_('Published ports')} error={errors.pod.ports} hint={_('HOSTPORT:PORT, separated by commas, e.g. 8080:80')}>
            <TextInput id="pod-ports" value={v.ports} onChange={(_e, x) => setV((o) => ({ ...o, ports: x }))} validated={validated(errors.pod.ports)} />
          </Field>
          <FormGroup label={_('Shared namespaces')} role="group" fieldId="pod-share" isInline>
            {namespaces.map(({ ns, label }) => (
              <Checkbox key={ns} id={`pod-share-${ns}`} label={_(label)} isChecked={v.share.includes(ns)} onChange={(_e, on) => toggleNs(ns, on)} />
            ))}
          </FormGroup>
          {errors.pod.share && <Alert variant="danger" isInline isPlain title={errors.pod.share} />}
          <datalist id="pod-image-choices">
            {tags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          {v.containers.map((c, i) => {
            const e = errors.containers[i] ?? {};
            const n = i + 1;
            return (
              <section key={i} className="selkie-pod-container" aria-label={fmt('Container $0', n)}>
                <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }}>
                  <Title headingLevel="h3" size="md">
                    {fmt('Container $0', n)}
                  </Title>
                  <Button variant="link" isDanger onClick={() => setV((o) => ({ ...o, containers: o.containers.filter((_x, j) => j !== i) }))}>
                    {fmt('Remove container $0', n)}
                  </Button>
                </Flex>
                <Field id={`pod-c${n}-image`} label={_('Image')} error={e.image} required>
                  <TextInput id={`pod-c${n}-image`} list="pod-image-choices" value={c.image} onChange={(_e, x) => setContainer(i, 'image', x)} validated={validated(e.image)} />
                </Field>
                <Field id={`pod-c${n}-name`} label={_('Name')} error={e.name} hint={_('Empty: a generated name')}>
                  <TextInput id={`pod-c${n}-name`} value={c.name} onChange={(_e, x) => setContainer(i, 'name', x)} validated={validated(e.name)} />
                </Field>
                <Field id={`pod-c${n}-command`} label={_('Command')} error={e.command}>
                  <TextInput id={`pod-c${n}-command`} value={c.command} onChange={(_e, x) => setContainer(i, 'command', x)} validated={validated(e.command)} />
                </Field>
                <Field id={`pod-c${n}-env`} label={_('Environment')} error={e.env} hint={_('One KEY=VALUE per line')}>
                  <TextArea id={`pod-c${n}-env`} value={c.env} onChange={(_e, x) => setContainer(i, 'env', x)} validated={validated(e.env)} resizeOrientation="vertical" />
                </Field>
              </section>
            );
          })}
          <Button variant="secondary" onClick={() => setV((o) => ({ ...o, containers: [...o.containers, emptyPodContainer()] }))}>
            {_('Add container')}
          </Button>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={submit} isLoading={busy} isDisabled={busy}>
          {_('Create')}
        </Button>
        <Button variant="link" onClick={onClose}>
          {_('Cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
