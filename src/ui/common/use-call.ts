/** Load one bridge call's result for a component; `reload()` asks again. Re-runs when `deps` change. */
import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { useBridge } from './bridge-context.js';

export interface CallState<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload(): void;
}

export function useCall<T>(method: string, params: Record<string, unknown>, deps: DependencyList): CallState<T> {
  const { client } = useBridge();
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    client.call<T>(method, params).then(
      (data) => alive && setState({ data, loading: false }),
      (error: unknown) => alive && setState({ error, loading: false }),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, method, tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
