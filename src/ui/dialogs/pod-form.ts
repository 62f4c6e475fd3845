/** The Create pod dialog's values (the pod and its containers) and their conversion into bridge params. */
import type { ContainerCreateOptions } from '../../engine/types/container.js';
import type { PodCreateOptions, PodNamespace } from '../../engine/types/pod.js';
import { _, fmt } from '../i18n.js';
import type { FormErrors } from './container-form.js';
import { parseCommand, parseEnv, parseName, parsePorts } from './form-parsing.js';

export interface PodContainerValues {
  image: string;
  name: string;
  command: string;
  env: string;
}

export interface PodFormValues {
  name: string;
  ports: string;
  share: PodNamespace[];
  containers: PodContainerValues[];
}

export const defaultShare: PodNamespace[] = ['net', 'ipc', 'uts'];
export const emptyPodContainer = (): PodContainerValues => ({ image: '', name: '', command: '', env: '' });
export const emptyPodForm = (): PodFormValues => ({ name: '', ports: '', share: [...defaultShare], containers: [] });

export interface PodFormErrors {
  pod: FormErrors<Omit<PodFormValues, 'containers'>>;
  containers: FormErrors<PodContainerValues>[];
}

export const hasErrors = (e: PodFormErrors) => Object.keys(e.pod).length > 0 || e.containers.some((c) => Object.keys(c).length > 0);

export function podParamsFromForm(v: PodFormValues): { params?: { options: PodCreateOptions; containers: ContainerCreateOptions[] }; errors: PodFormErrors } {
  const errors: PodFormErrors = { pod: {}, containers: v.containers.map(() => ({})) };
  const name = parseName(v.name);
  if (!name.ok) errors.pod.name = name.error;
  else if (!name.value) errors.pod.name = _('Give the pod a name');
  const ports = parsePorts(v.ports);
  if (!ports.ok) errors.pod.ports = ports.error;
  if (!v.share.includes('net') && ports.ok && ports.value.length) errors.pod.share = _('Published ports need the shared network namespace');
  const containers: ContainerCreateOptions[] = [];
  const names = new Set<string>();
  v.containers.forEach((c, i) => {
    const e = errors.containers[i];
    const image = c.image.trim();
    if (!image) e.image = _('Choose or type an image');
    const cname = parseName(c.name);
    if (!cname.ok) e.name = cname.error;
    else if (cname.value && names.has(cname.value)) e.name = fmt('"$0" is used twice', cname.value);
    else if (cname.value) names.add(cname.value);
    const command = parseCommand(c.command);
    if (!command.ok) e.command = command.error;
    const env = parseEnv(c.env);
    if (!env.ok) e.env = env.error;
    if (Object.keys(e).length) return;
    const o: ContainerCreateOptions = { image };
    if (cname.ok && cname.value) o.name = cname.value;
    if (command.ok && command.value) o.command = command.value;
    if (env.ok && env.value.length) o.env = env.value;
    containers.push(o);
  });
  if (hasErrors(errors) || !name.ok || !ports.ok) return { errors };
  const options: PodCreateOptions = { name: name.value, share: v.share };
  if (ports.value.length) options.publish = ports.value;
  return { params: { options, containers }, errors };
}
