/**
 * A row's ⋮ menu. Until first opened it is only its toggle button: a PatternFly Dropdown (a Popper
 * with its own state, a re-render after mounting, and document/window listeners) in each of 100 rows
 * costs the first paint dearly. The Dropdown is mounted on the first click, then opened; its items
 * are only built while it is open.
 */
import { type ReactNode, useState } from 'react';
import { Dropdown, DropdownList, MenuToggle } from '../pf.js';

export interface KebabMenuProps {
  label: string;
  /** The DropdownItems; `close` closes the menu (call it before opening a dialog). */
  children: (close: () => void) => ReactNode;
}

export function KebabMenu({ label, children }: KebabMenuProps) {
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  const toggle = (ref?: React.Ref<HTMLButtonElement>) => (
    <MenuToggle
      ref={ref}
      variant="plain"
      aria-label={label}
      isExpanded={open}
      onClick={() => {
        if (used) {
          setOpen(!open);
          return;
        }
        // Mount the Dropdown closed, and open it once this click is over: the Dropdown's own
        // click-outside listener would otherwise hear this very click (on the replaced button) and close it.
        setUsed(true);
        setTimeout(() => setOpen(true), 0);
      }}
    >
      ⋮
    </MenuToggle>
  );
  if (!used) return toggle();
  return (
    <Dropdown isOpen={open} onOpenChange={setOpen} popperProps={{ position: 'right' }} shouldFocusFirstItemOnOpen toggle={(ref) => toggle(ref)}>
      {open && <DropdownList>{children(() => setOpen(false))}</DropdownList>}
    </Dropdown>
  );
}
