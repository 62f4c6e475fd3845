/** A row's ⋮ menu: a PatternFly Dropdown whose items are only built while it is open. */
import { type ReactNode, useState } from 'react';
import { Dropdown, DropdownList, MenuToggle } from '../pf.js';

export interface KebabMenuProps {
  label: string;
  /** The DropdownItems; `close` closes the menu (call it before opening a dialog). */
  children: (close: () => void) => ReactNode;
}

export function KebabMenu({ label, children }: KebabMenuProps) {
  const [open, setOpen] = useState(false);
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      popperProps={{ position: 'right' }}
      shouldFocusFirstItemOnOpen
      toggle={(ref) => (
        <MenuToggle ref={ref} variant="plain" aria-label={label} isExpanded={open} onClick={() => setOpen(!open)}>
          ⋮
        </MenuToggle>
      )}
    >
      {open && <DropdownList>{children(() => setOpen(false))}</DropdownList>}
    </Dropdown>
  );
}
