import { BRIDGE_VERSION } from '../../messaging/messages';
import type { PanelSnapshot } from '../store/panel-store';

interface Props {
  snap: PanelSnapshot;
  dropped: number;
  truncated: number;
  onReload(): void;
  onFullCapture(): void;
  /** An import just failed: its error replaces the shown file's warnings, which would read as its own. */
  importFailed?: boolean;
}

/** Conditions worth a line across the top: version mismatch, lost data, import warnings. */
export function Banners({ snap, dropped, truncated, onReload, onFullCapture, importFailed = false }: Props) {
  const live = snap.source.kind === 'live';
  return (
    <>
      {snap.versionMismatch && (
        <div class="banner error" role="alert">
          The page's capture hook speaks bridge version {snap.hookVersion}, this panel speaks {BRIDGE_VERSION}
          . The page was loaded before the extension was updated: reload the page.
          <button type="button" onClick={onReload}>
            Reload page
          </button>
        </div>
      )}
      {live && (dropped > 0 || truncated > 0 || snap.droppedEvents > 0) && !snap.settings.fullCapture && (
        <div class="banner warn" role="status">
          Capture is partial: {dropped > 0 && `${dropped} frames not kept`}
          {dropped > 0 && truncated > 0 && ', '}
          {truncated > 0 && `${truncated} payloads truncated`}
          {snap.droppedEvents > 0 && ` (${snap.droppedEvents} events lost before the panel opened)`}. After
          the handshake, frames are recorded only while DevTools is open, {snap.settings.frameBudget} per
          socket with a preview of each.
          <button type="button" onClick={onFullCapture}>
            Capture all frames
          </button>
        </div>
      )}
      {!importFailed && snap.source.kind === 'imported' && snap.source.warnings.length > 0 && (
        <div class="banner warn" role="status">
          {snap.source.warnings.length} import {snap.source.warnings.length === 1 ? 'warning' : 'warnings'} in{' '}
          {snap.source.name}: {snap.source.warnings.slice(0, 3).join('; ')}
          {snap.source.warnings.length > 3 && ' …'}
        </div>
      )}
    </>
  );
}
