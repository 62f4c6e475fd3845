/** Page state kept in the URL (Cockpit's location options): the text filter, show all/running, the owner filter, the tab. */
import { useCallback, useEffect, useState } from 'react';

export type OwnerFilter = 'all' | 'system' | 'user';

export interface UrlState {
  filter: string;
  show: 'all' | 'running';
  /** Whose containers and images: every engine's, the system engine's, or the logged-in user's. */
  owner: OwnerFilter;
  tab: 'containers' | 'images';
}

function read(): UrlState {
  const o = window.cockpit?.location.options ?? {};
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
  return {
    filter: one(o.filter),
    show: one(o.show) === 'running' ? 'running' : 'all',
    owner: one(o.owner) === 'system' ? 'system' : one(o.owner) === 'user' ? 'user' : 'all',
    tab: one(o.tab) === 'images' ? 'images' : 'containers',
  };
}

export function useUrlState(): [UrlState, (patch: Partial<UrlState>) => void] {
  const [state, setState] = useState<UrlState>(read);
  useEffect(() => {
    const cockpit = window.cockpit;
    if (!cockpit) return;
    const changed = () => setState(read());
    cockpit.addEventListener('locationchanged', changed);
    return () => cockpit.removeEventListener('locationchanged', changed);
  }, []);
  const update = useCallback((patch: Partial<UrlState>) => {
    setState((old) => {
      const next = { ...old, ...patch };
      const options: Record<string, string> = {};
      if (next.filter) options.filter = next.filter;
      if (next.show !== 'all') options.show = next.show;
      if (next.owner !== 'all') options.owner = next.owner;
      if (next.tab !== 'containers') options.tab = next.tab;
      window.cockpit?.location.replace([], options);
      return next;
    });
  }, []);
  return [state, update];
}
