/** The panel's dependencies, handed to components through one Preact context. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { PanelHost } from '../transport';
import type { PanelCore } from './core-port';
import type { PanelSnapshot, PanelStore } from './panel-store';

export interface PanelDeps {
  store: PanelStore;
  core: PanelCore;
  host: PanelHost;
}

export const PanelContext = createContext<PanelDeps | null>(null);

/** The panel's dependencies; throws when a component is rendered outside `<PanelContext.Provider>`. */
export function usePanel(): PanelDeps {
  const deps = useContext(PanelContext);
  if (!deps) throw new Error('panel component rendered without PanelContext');
  return deps;
}

/** The store's current snapshot; re-renders when the store flushes. */
export function useSnapshot(store: PanelStore): PanelSnapshot {
  const [snap, setSnap] = useState(store.getSnapshot());
  useEffect(() => {
    setSnap(store.getSnapshot());
    return store.subscribe(() => setSnap(store.getSnapshot()));
  }, [store]);
  return snap;
}
