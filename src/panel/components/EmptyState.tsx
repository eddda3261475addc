interface Props {
  live: boolean;
  connected: boolean;
  canReload: boolean;
  onReload(): void;
  onImport(): void;
  /** Opens the extension's options (absent outside DevTools). */
  onOptions?: () => void;
  filtered: boolean;
}

/** What to do when there is nothing to show, and why there may be nothing. */
export function EmptyState({ live, connected, canReload, onReload, onImport, onOptions, filtered }: Props) {
  if (filtered) {
    return (
      <div class="empty" role="status">
        <p>No socket matches the filter.</p>
      </div>
    );
  }
  return (
    <div class="empty" role="status">
      <p class="empty-title">No WebSocket captured yet.</p>
      {live ? (
        <>
          <p>
            Sockets appear here as the page opens them. Sockets opened before the extension was installed, or
            before this page loaded, were not seen: reload the page to capture them from their first frame.
          </p>
          {!connected && <p>Not connected to the page's capture. Reloading reconnects.</p>}
          {onOptions && (
            <p>
              KHP Inspector captures only on the sites its options allow.{' '}
              <button type="button" class="link-button" onClick={onOptions}>
                Options…
              </button>
            </p>
          )}
          <p>
            {canReload && (
              <button type="button" onClick={onReload}>
                Reload page
              </button>
            )}{' '}
            <button type="button" onClick={onImport}>
              Import a HAR or capture file…
            </button>
          </p>
          <p class="hint">You can also drop a .har or .json file here.</p>
        </>
      ) : (
        <p>The imported file holds no WebSocket.</p>
      )}
    </div>
  );
}
