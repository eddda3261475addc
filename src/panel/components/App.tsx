import { useMemo, useRef, useState } from 'preact/hooks';
import { readImportFile } from '../import-file';
import { usePanel, useSnapshot } from '../store/context';
import { matchesFilter, parseFilter } from '../store/filter';
import { countStats, groupByChain } from '../store/summary';
import { Banners } from './Banners';
import { ConnectionList } from './ConnectionList';
import { DetailPane } from './DetailPane';
import { EmptyState } from './EmptyState';
import { ReplayLayer } from './ReplayLayer';
import { SplitPane } from './SplitPane';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import { useSystemDark } from './use-system-dark';

/** The whole panel: toolbar, banners, connection list and detail, status bar. */
export function App() {
  const { store, core, host } = usePanel();
  const snap = useSnapshot(store);
  const [filterText, setFilterText] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [importError, setImportError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const listBox = useRef<HTMLDivElement>(null);

  const filter = useMemo(() => parseFilter(filterText), [filterText]);
  const shown = useMemo(
    () =>
      filter.terms.length === 0 ? snap.connections : snap.connections.filter((c) => matchesFilter(c, filter)),
    [snap.connections, filter],
  );
  const groups = useMemo(() => {
    const visible = new Map(shown.map((c) => [c.id, c]));
    return groupByChain(shown, snap.chains, visible);
  }, [shown, snap.chains]);
  const stats = useMemo(() => countStats(snap.connections, snap.sockets), [snap.connections]);
  const truncated = snap.truncatedFrames;

  const open = detailOpen && selectedId ? snap.connectionById.get(selectedId) : undefined;
  const openSocket = open ? snap.sockets.find((s) => s.id === open.id) : undefined;
  const openChain = open ? snap.chains.find((ch) => ch.connections.includes(open.id)) : undefined;

  const importFile = async (file: File) => {
    setImportError(null);
    const result = await readImportFile(file, core);
    if (!result.ok) return setImportError(`${file.name}: ${result.error}`);
    setSelectedId(null);
    setDetailOpen(false);
    store.showImported(file.name, result.sockets, result.warnings);
  };
  const exportAs = (format: 'har' | 'json', includeCredentials: boolean) => {
    const redact = !includeCredentials;
    const data =
      format === 'har' ? core.exportHar(snap.sockets, redact) : core.exportCapture(snap.sockets, redact);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const name = format === 'har' ? `khp-${stamp}.har` : `khp-${stamp}.khp.json`;
    host.download(name, JSON.stringify(data, null, 2), 'application/json');
  };
  const openRow = (id: string) => {
    setSelectedId(id);
    setDetailOpen(true);
  };
  const closeDetail = () => {
    setDetailOpen(false);
    listBox.current?.querySelector<HTMLElement>('[role=listbox]')?.focus();
  };
  const live = snap.source.kind === 'live';
  // DevTools' own theme when it says; otherwise the system's (one dark palette in theme.css serves both).
  const systemDark = useSystemDark();

  return (
    <div
      class={`khp-app${dragging ? ' dragging' : ''}`}
      data-theme={host.theme() ?? (systemDark ? 'dark' : 'light')}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer?.files[0];
        if (file) void importFile(file);
      }}
    >
      <Toolbar
        filter={filterText}
        filterError={filter.errors[0] ?? null}
        onFilter={setFilterText}
        preserveLog={snap.settings.preserveLog}
        onPreserveLog={(on) => store.updateSettings({ preserveLog: on })}
        fullCapture={snap.settings.fullCapture}
        onFullCapture={(on) => store.updateSettings({ fullCapture: on })}
        onClear={() => {
          store.clear();
          setDetailOpen(false);
          setSelectedId(null);
        }}
        onImport={() => fileInput.current?.click()}
        onExport={exportAs}
        canExport={snap.sockets.length > 0}
        source={snap.source}
        onBackToLive={() => {
          store.showLive();
          setDetailOpen(false);
          setSelectedId(null);
        }}
      />
      <input
        ref={fileInput}
        type="file"
        accept=".har,.json,application/json"
        class="hidden-input"
        aria-label="Import file"
        tabIndex={-1}
        onChange={(e) => {
          const input = e.currentTarget as HTMLInputElement;
          const file = input.files?.[0];
          if (file) void importFile(file);
          input.value = '';
        }}
      />
      <Banners
        snap={snap}
        dropped={stats.dropped}
        truncated={truncated}
        onReload={() => host.reloadInspected()}
        onFullCapture={() => store.updateSettings({ fullCapture: true })}
      />
      {importError && (
        <div class="banner error" role="alert">
          {importError}
          <button type="button" onClick={() => setImportError(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div class="main" ref={listBox}>
        {shown.length === 0 ? (
          <EmptyState
            live={live}
            connected={snap.connected}
            canReload={live && host.tabId >= 0}
            onReload={() => host.reloadInspected()}
            onImport={() => fileInput.current?.click()}
            onOptions={host.openOptions}
            filtered={snap.connections.length > 0}
          />
        ) : (
          <SplitPane
            first={
              <ConnectionList
                groups={groups}
                selectedId={selectedId}
                onSelect={setSelectedId}
                onOpen={openRow}
                onEscape={open ? closeDetail : undefined}
              />
            }
            second={
              open && openSocket ? (
                <DetailPane
                  connection={open}
                  socket={openSocket}
                  chain={openChain}
                  byId={snap.connectionById}
                  onClose={closeDetail}
                  onOpen={openRow}
                />
              ) : null
            }
          />
        )}
      </div>
      <StatusBar stats={stats} shown={shown.length} connected={snap.connected} live={live} />
      <ReplayLayer onOpen={openRow} />
    </div>
  );
}
