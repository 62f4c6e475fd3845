/**
 * Create container: owner (which engine, when there are two), image (local images offered, or any
 * reference: checked before creating, pulled with progress when not stored), name, command, env,
 * ports, memory/CPU limits, capabilities, pod, user-namespace mapping, restart policy, terminal.
 * "Create" or "Create and run".
 */
import { useState } from 'react';
import type { ImageSummary } from '../../engine/types/image.js';
import type { PodSummary } from '../../engine/types/pod.js';
import { errorText, useAlerts } from '../common/alerts.js';
import type { Owner } from '../engines/engine-set.js';
import { connectedOwners, useEngineClient, useEngines } from '../engines/engine-views.js';
import { _, fmt } from '../i18n.js';
import { pullImage } from '../images/pull-image.js';
import type { PullSummary } from '../images/pull-progress.js';
import { Alert, Button, Checkbox, Form, FormSelect, FormSelectOption, Modal, ModalBody, ModalFooter, ModalHeader, Progress, TextArea, TextInput } from '../pf.js';
import { type ContainerFormValues, containerOptionsFromForm, emptyContainerForm, type FormErrors } from './container-form.js';
import { Field, validated } from './field.js';
import { restartPolicies } from './form-parsing.js';
import { checkImage, describeRemoteImage } from './image-check.js';
import { OwnerSelect } from './owner-select.js';

export interface CreateContainerModalProps {
  /** Every engine's (each with its `owner`): the dialog offers those of the chosen engine. */
  images: (ImageSummary & { owner?: Owner })[];
  pods: (PodSummary & { owner?: Owner })[];
  initialImage?: string;
  /** The engine to create in first (e.g. the image's, for "Run"). */
  initialOwner?: Owner;
  onClose(): void;
}

const restartLabels: Record<string, string> = { no: 'Never', 'on-failure': 'On failure', always: 'Always', 'unless-stopped': 'Unless stopped' };

export function CreateContainerModal({ images: allImages, pods: allPods, initialImage, initialOwner, onClose }: CreateContainerModalProps) {
  const choices = connectedOwners(useEngines());
  const [owner, setOwner] = useState<Owner | undefined>(initialOwner ?? choices[0]?.owner);
  const client = useEngineClient(owner);
  const images = allImages.filter((i) => !owner || !i.owner || i.owner === owner);
  const pods = allPods.filter((p) => !owner || !p.owner || p.owner === owner);
  const alerts = useAlerts();
  const [v, setV] = useState<ContainerFormValues>({ ...emptyContainerForm(), image: initialImage ?? '' });
  const [errors, setErrors] = useState<FormErrors<ContainerFormValues>>({});
  const [busy, setBusy] = useState<false | 'checking' | 'pulling' | 'creating'>(false);
  const [progress, setProgress] = useState<PullSummary>();
  const [failure, setFailure] = useState<string>();
  const set = <K extends keyof ContainerFormValues>(k: K) => (value: ContainerFormValues[K]) => setV((old) => ({ ...old, [k]: value }));
  const tags = images.flatMap((i) => i.RepoTags);
  // A reference typed by hand is inspected at the registry as the field is left: what would be pulled.
  const [remote, setRemote] = useState<{ image: string; text: string }>();
  const inspectImage = async () => {
    const image = v.image.trim();
    if (!image || tags.includes(image) || remote?.image === image) return;
    const checked = await checkImage(client, image);
    if (!checked.ok) setErrors((old) => ({ ...old, image: checked.error }));
    else setRemote(checked.check.local ? undefined : { image, text: describeRemoteImage(checked.check) });
  };

  const submit = async (start: boolean) => {
    setFailure(undefined);
    const { options, errors: found } = containerOptionsFromForm(v);
    setErrors(found);
    if (!options) return;
    setBusy('checking');
    try {
      const checked = await checkImage(client, options.image);
      if (!checked.ok) {
        setErrors({ image: checked.error });
        return;
      }
      if (!checked.check.local) {
        setBusy('pulling');
        await pullImage(client, options.image, setProgress);
      }
      setBusy('creating');
      const created = await client.call<{ name: string }>('containers.create', { options, start });
      alerts.success(fmt(start ? 'Container $0 is running' : 'Created container $0', created.name));
      onClose();
    } catch (e) {
      setFailure(`${options.name ? fmt('Could not create container $0', options.name) : _('Could not create the container')}: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal isOpen variant="medium" onClose={onClose} aria-labelledby="create-container-title">
      <ModalHeader title={_('Create container')} labelId="create-container-title" />
      <ModalBody>
        {failure && <Alert variant="danger" isInline title={failure} />}
        <Form isHorizontal onSubmit={(e) => (e.preventDefault(), void submit(true))}>
          <OwnerSelect id="create-owner" choices={choices} value={owner} onChange={(o) => (setOwner(o), set('pod')(''))} />
          <Field id="create-image" label={_('Image')} error={errors.image} required hint={remote && remote.image === v.image.trim() ? remote.text : _('A local image, or a registry reference to pull')}>
            <TextInput
              id="create-image"
              list="create-image-choices"
              value={v.image}
              onChange={(_e, x) => (set('image')(x), setErrors((old) => ({ ...old, image: undefined })))}
              onBlur={() => void inspectImage()}
              validated={validated(errors.image)}
            />
            <datalist id="create-image-choices">
              {tags.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </Field>
          <Field id="create-name" label={_('Name')} error={errors.name} hint={_('Empty: a generated name')}>
            <TextInput id="create-name" value={v.name} onChange={(_e, x) => set('name')(x)} validated={validated(errors.name)} />
          </Field>
          <Field id="create-command" label={_('Command')} error={errors.command} hint={_('Empty: the image’s command')}>
            <TextInput id="create-command" value={v.command} onChange={(_e, x) => set('command')(x)} validated={validated(errors.command)} />
          </Field>
          <Field id="create-env" label={_('Environment')} error={errors.env} hint={_('One KEY=VALUE per line')}>
            <TextArea id="create-env" value={v.env} onChange={(_e, x) => set('env')(x)} validated={validated(errors.env)} resizeOrientation="vertical" />
          </Field>
          <Field id="create-ports" label={_('Published ports')} error={errors.ports} hint={_('HOSTPORT:PORT, separated by commas, e.g. 8080:80')}>
            <TextInput id="create-ports" value={v.ports} onChange={(_e, x) => set('ports')(x)} validated={validated(errors.ports)} />
          </Field>
          <Field id="create-memory" label={_('Memory limit')} error={errors.memory} hint={_('e.g. 512m or 1g; empty: no limit')}>
            <TextInput id="create-memory" value={v.memory} onChange={(_e, x) => set('memory')(x)} validated={validated(errors.memory)} />
          </Field>
          <Field id="create-cpus" label={_('CPUs')} error={errors.cpus} hint={_('e.g. 0.5; empty: no limit')}>
            <TextInput id="create-cpus" value={v.cpus} onChange={(_e, x) => set('cpus')(x)} validated={validated(errors.cpus)} />
          </Field>
          <Field id="create-cap-add" label={_('Add capabilities')} error={errors.capAdd} hint={_('e.g. NET_ADMIN, SYS_PTRACE')}>
            <TextInput id="create-cap-add" value={v.capAdd} onChange={(_e, x) => set('capAdd')(x)} validated={validated(errors.capAdd)} />
          </Field>
          <Field id="create-cap-drop" label={_('Drop capabilities')} error={errors.capDrop} hint={_('e.g. CHOWN, or ALL')}>
            <TextInput id="create-cap-drop" value={v.capDrop} onChange={(_e, x) => set('capDrop')(x)} validated={validated(errors.capDrop)} />
          </Field>
          <Field id="create-pod" label={_('Pod')}>
            <FormSelect id="create-pod" value={v.pod} onChange={(_e, x) => set('pod')(x)}>
              <FormSelectOption value="" label={_('No pod')} />
              {pods.map((p) => (
                <FormSelectOption key={p.Id} value={p.Name} label={p.Name} />
              ))}
            </FormSelect>
          </Field>
          <Field id="create-uidmap" label={_('UID mapping')} error={errors.uidmap} hint={_('User namespace: CONTAINER_ID:HOST_ID:SIZE, e.g. 0:100000:65536; empty: the host’s IDs')}>
            <TextInput id="create-uidmap" value={v.uidmap} onChange={(_e, x) => set('uidmap')(x)} validated={validated(errors.uidmap)} />
          </Field>
          <Field id="create-gidmap" label={_('GID mapping')} error={errors.gidmap} hint={_('Empty: groups are mapped as the UIDs')}>
            <TextInput id="create-gidmap" value={v.gidmap} onChange={(_e, x) => set('gidmap')(x)} validated={validated(errors.gidmap)} />
          </Field>
          <Field id="create-restart" label={_('Restart policy')}>
            <FormSelect id="create-restart" value={v.restart} onChange={(_e, x) => set('restart')(x as ContainerFormValues['restart'])}>
              {restartPolicies.map((p) => (
                <FormSelectOption key={p} value={p} label={_(restartLabels[p])} />
              ))}
            </FormSelect>
          </Field>
          {v.restart === 'on-failure' && (
            <Field id="create-restart-retries" label={_('Maximum retries')} error={errors.restartRetries} hint={_('Empty: no limit')}>
              <TextInput id="create-restart-retries" value={v.restartRetries} onChange={(_e, x) => set('restartRetries')(x)} validated={validated(errors.restartRetries)} />
            </Field>
          )}
          <Checkbox id="create-tty" label={_('With a terminal')} isChecked={v.tty} onChange={(_e, x) => set('tty')(x)} />
          {busy === 'pulling' && progress && <Progress value={progress.percent ?? 0} title={progress.text} aria-label={_('Pull progress')} />}
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={() => submit(true)} isLoading={busy !== false} isDisabled={busy !== false}>
          {_('Create and run')}
        </Button>
        <Button variant="secondary" onClick={() => submit(false)} isDisabled={busy !== false}>
          {_('Create')}
        </Button>
        <Button variant="link" onClick={onClose}>
          {_('Cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
