/** The panel's replay store, one per panel store, reached from components without a new provider. */
import { useEffect, useState } from 'preact/hooks';
import { usePanel } from './context';
import type { PanelStore } from './panel-store';
import { ReplayStore, type ReplayView } from './replay-store';

const stores = new WeakMap<PanelStore, ReplayStore>();

/** The replay store of the panel this component belongs to (created on first use). */
export function useReplayStore(): ReplayStore {
  const { store, host } = usePanel();
  let replay = stores.get(store);
  if (!replay) {
    replay = new ReplayStore(host);
    stores.set(store, replay);
  }
  return replay;
}

/** The replay dialog's current view; re-renders on every change of the store (view or page URL). */
export function useReplayView(replay: ReplayStore): ReplayView {
  const [, setTick] = useState(0);
  useEffect(() => replay.subscribe(() => setTick((n) => n + 1)), [replay]);
  return replay.getView();
}
