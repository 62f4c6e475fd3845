/** The Create container dialog's values and their conversion into engine create options. */
import type { ContainerCreateOptions } from '../../engine/types/container.js';
import { _ } from '../i18n.js';
import { type Parsed, parseCapabilities, parseCommand, parseCpus, parseEnv, parseIdMappings, parseMemory, parseName, parsePorts, parseRestartPolicy, type RestartPolicyName } from './form-parsing.js';

export interface ContainerFormValues {
  image: string;
  name: string;
  command: string;
  env: string;
  ports: string;
  memory: string;
  cpus: string;
  /** Capability names separated by commas or spaces, with or without CAP_. */
  capAdd: string;
  capDrop: string;
  /** Pod name or ID; '' for none. */
  pod: string;
  tty: boolean;
  /** User namespace: CONTAINER_ID:HOST_ID:SIZE mappings; an empty GID mapping maps GIDs as the UIDs. */
  uidmap: string;
  gidmap: string;
  restart: RestartPolicyName;
  /** on-failure's maximum retries; empty: no limit. */
  restartRetries: string;
}

export const emptyContainerForm = (): ContainerFormValues => ({
  image: '',
  name: '',
  command: '',
  env: '',
  ports: '',
  memory: '',
  cpus: '',
  capAdd: '',
  capDrop: '',
  pod: '',
  tty: false,
  uidmap: '',
  gidmap: '',
  restart: 'no',
  restartRetries: '',
});

export type FormErrors<T> = Partial<Record<keyof T, string>>;

/** The options, or the errors per field (never both). */
export function containerOptionsFromForm(v: ContainerFormValues): { options?: ContainerCreateOptions; errors: FormErrors<ContainerFormValues> } {
  const errors: FormErrors<ContainerFormValues> = {};
  const take = <T>(key: keyof ContainerFormValues, p: Parsed<T>): T | undefined => {
    if (p.ok) return p.value;
    errors[key] = p.error;
    return undefined;
  };
  const image = v.image.trim();
  if (!image) errors.image = _('Choose or type an image');
  else if (/\s/.test(image)) errors.image = _('An image name has no spaces');
  const name = take('name', parseName(v.name));
  const command = take('command', parseCommand(v.command));
  const env = take('env', parseEnv(v.env));
  const publish = take('ports', parsePorts(v.ports));
  const memory = take('memory', parseMemory(v.memory));
  const cpus = take('cpus', parseCpus(v.cpus));
  const capAdd = take('capAdd', parseCapabilities(v.capAdd)) ?? [];
  const capDrop = take('capDrop', parseCapabilities(v.capDrop)) ?? [];
  const both = capAdd.filter((c) => capDrop.includes(c));
  if (both.length) errors.capDrop = `${_('A capability cannot be both added and dropped')}: ${both.join(', ')}`;
  const uidmap = take('uidmap', parseIdMappings(v.uidmap)) ?? [];
  const gidmap = take('gidmap', parseIdMappings(v.gidmap)) ?? [];
  if (gidmap.length && !uidmap.length && !errors.uidmap) errors.uidmap = _('A GID mapping needs a UID mapping too');
  const restart = take('restartRetries', parseRestartPolicy(v.restart, v.restartRetries));
  if (Object.keys(errors).length) return { errors };
  const options: ContainerCreateOptions = { image };
  if (name) options.name = name;
  if (command) options.command = command;
  if (env?.length) options.env = env;
  if (publish?.length) options.publish = publish;
  if (memory) options.memory = memory;
  if (cpus) options.cpus = cpus;
  if (capAdd.length) options.capAdd = capAdd;
  if (capDrop.length) options.capDrop = capDrop;
  if (v.pod) options.pod = v.pod;
  if (uidmap.length) options.uidmap = uidmap;
  if (gidmap.length) options.gidmap = gidmap;
  if (restart) options.restart = restart;
  if (v.tty) {
    options.tty = true;
    options.interactive = true;
  }
  return { options, errors };
}
