/**
 * Errors and notices as PatternFly toast alerts: the title names the action and the object, the body
 * is the engine's message (what failed, why) and hint. Components report through `useAlerts()`.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { BridgeCallError } from '../bridge-client.js';
import { _ } from '../i18n.js';
import { Alert, AlertActionCloseButton, AlertGroup } from '../pf.js';

interface Notice {
  key: number;
  variant: 'danger' | 'success' | 'info';
  title: string;
  body?: string;
}

interface AlertsApi {
  /** `title` says what failed on which object, e.g. "Could not stop container web". */
  error(title: string, e: unknown): void;
  success(title: string): void;
}

const AlertsContext = createContext<AlertsApi>({ error: () => undefined, success: () => undefined });
export const useAlerts = () => useContext(AlertsContext);

export function errorText(e: unknown): string {
  if (e instanceof BridgeCallError) return e.hint ? `${e.message}: ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

let nextKey = 1;

export function AlertsProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const remove = useCallback((key: number) => setNotices((n) => n.filter((x) => x.key !== key)), []);
  const api = useMemo<AlertsApi>(
    () => ({
      error: (title, e) => setNotices((n) => [...n, { key: nextKey++, variant: 'danger', title, body: errorText(e) }]),
      success: (title) => {
        const key = nextKey++;
        setNotices((n) => [...n, { key, variant: 'success', title }]);
        setTimeout(() => remove(key), 4000);
      },
    }),
    [remove],
  );
  return (
    <AlertsContext.Provider value={api}>
      {children}
      <AlertGroup isToast isLiveRegion aria-label={_('Notifications')}>
        {notices.map((n) => (
          <Alert key={n.key} variant={n.variant} title={n.title} actionClose={<AlertActionCloseButton title={_('Close')} onClose={() => remove(n.key)} />}>
            {n.body}
          </Alert>
        ))}
      </AlertGroup>
    </AlertsContext.Provider>
  );
}
