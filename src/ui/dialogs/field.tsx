/** A labelled form field with its validation message under it. */
import type { ReactNode } from 'react';
import { FormGroup, FormHelperText, HelperText, HelperTextItem } from '../pf.js';

export function Field({ id, label, error, hint, required, children }: { id: string; label: string; error?: string; hint?: string; required?: boolean; children: ReactNode }) {
  return (
    <FormGroup label={label} fieldId={id} isRequired={required}>
      {children}
      {(error || hint) && (
        <FormHelperText>
          <HelperText>
            <HelperTextItem variant={error ? 'error' : 'default'} id={`${id}-helper`}>
              {error ?? hint}
            </HelperTextItem>
          </HelperText>
        </FormHelperText>
      )}
    </FormGroup>
  );
}

export const validated = (error: string | undefined) => (error ? 'error' : 'default') as 'error' | 'default';
