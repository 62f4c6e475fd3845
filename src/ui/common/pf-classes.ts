/**
 * PatternFly 6 class names for markup the page writes itself where a PatternFly component costs too
 * much per row (100 rows: the first paint). Their CSS comes with the components imported in pf.ts
 * (Label, Table, Button, MenuToggle are all still used as components elsewhere on the page).
 */
export const pfLabel = {
  label: 'pf-v6-c-label',
  content: 'pf-v6-c-label__content',
  text: 'pf-v6-c-label__text',
  filled: 'pf-m-filled',
  compact: 'pf-m-compact',
  green: 'pf-m-green',
  orange: 'pf-m-orange',
  blue: 'pf-m-blue',
  red: 'pf-m-red',
} as const;

export const pfTable = {
  tbody: 'pf-v6-c-table__tbody',
  tr: 'pf-v6-c-table__tr',
  td: 'pf-v6-c-table__td',
  toggle: 'pf-v6-c-table__toggle',
  toggleIcon: 'pf-v6-c-table__toggle-icon',
  action: 'pf-v6-c-table__action',
  truncate: 'pf-m-truncate',
  expanded: 'pf-m-expanded',
} as const;

export const pfButton = {
  button: 'pf-v6-c-button',
  icon: 'pf-v6-c-button__icon',
  plain: 'pf-m-plain',
  small: 'pf-m-small',
  expanded: 'pf-m-expanded',
} as const;

export const cx = (...names: (string | false | undefined)[]): string => names.filter(Boolean).join(' ');
