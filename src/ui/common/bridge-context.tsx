/** The BridgeClient and the engine's hello (default capabilities, ...) for every component. */
import { createContext, useContext } from 'react';
import type { BridgeHello } from '../../bridge/protocol.js';
import type { BridgeClient } from '../bridge-client.js';

export interface BridgeContextValue {
  client: BridgeClient;
  hello?: BridgeHello;
}

export const BridgeContext = createContext<BridgeContextValue | null>(null);

export function useBridge(): BridgeContextValue {
  const v = useContext(BridgeContext);
  if (!v) throw new Error('useBridge outside BridgeContext');
  return v;
}
