/** Which engine a dialog acts on — shown only when the page has two (the system's and the user's). */
import type { Owner } from '../engines/engine-set.js';
import { _ } from '../i18n.js';
import { FormSelect, FormSelectOption } from '../pf.js';
import { Field } from './field.js';

export interface OwnerSelectProps {
  id: string;
  choices: { owner: Owner; label: string }[];
  value: Owner | undefined;
  onChange(owner: Owner): void;
}

export function OwnerSelect({ id, choices, value, onChange }: OwnerSelectProps) {
  if (choices.length < 2) return null;
  return (
    <Field id={id} label={_('Owner')} hint={_('The system engine runs as root; a user’s engine runs as that user')}>
      <FormSelect id={id} value={value ?? ''} onChange={(_e, x) => onChange(x as Owner)}>
        {choices.map((c) => (
          <FormSelectOption key={c.owner} value={c.owner} label={c.owner === 'system' ? _('System') : c.label} />
        ))}
      </FormSelect>
    </Field>
  );
}
