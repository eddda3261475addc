import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { readImportFile } from '../import-file';
import { usePanel, useSnapshot } from '../store/context';
import { matchesFilter, parseFilter } from '../store/filter';
import { paneLayout } from '../store/layout';
import {
  consumeKey,
  controlKeys,
  DETAIL_TABS,
  inOverlay,
  isTyping,
  matchShortcut,
  type Match,
} from '../store/shortcuts';
import { chainByConnection, countStats, groupByChain } from '../store/summary';
import { Banners } from './Banners';
import { ConnectionList } from './ConnectionList';
import { DetailPane } from './DetailPane';
import { EmptyState } from './EmptyState';
import { MenuLayer } from './MenuLayer';
import { ReplayLayer } from './ReplayLayer';
import { ShortcutsHelp } from './ShortcutsHelp';
import { SplitPane } from './SplitPane';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import { useElementSize } from './use-element-size';
import { useSocketMenu } from './use-socket-menu';
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
  const [detailTab, setDetailTab] = useState<string>(DETAIL_TABS[0]);
  const [helpOpen, setHelpOpen] = useState(false);
  const shared = host.sharedWorkers;
  const [sharedOn, setSharedOn] = useState(() => shared?.isOn() ?? false);
  useEffect(() => shared?.subscribe(setSharedOn), [shared]);
  const helpReturn = useRef<HTMLElement | null>(null);
  const appBox = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const listBox = useRef<HTMLElement>(null);
  const focusList = useRef(false);
  const mainSize = useElementSize(listBox);
  const openSocketMenu = useSocketMenu();

  const filter = useMemo(() => parseFilter(filterText), [filterText]);
  const chainOf = useMemo(() => chainByConnection(snap.chains), [snap.chains]);
  const socketOf = useMemo(() => new Map(snap.sockets.map((s) => [s.id, s])), [snap.sockets]);
  const shown = useMemo(
    () =>
      filter.terms.length === 0
        ? snap.connections
        : snap.connections.filter((c) =>
            matchesFilter(c, filter, { chain: chainOf.get(c.id), frames: socketOf.get(c.id)?.frames }),
          ),
    [snap.connections, filter, chainOf, socketOf],
  );
  const groups = useMemo(() => {
    const visible = new Map(shown.map((c) => [c.id, c]));
    return groupByChain(shown, snap.chains, visible);
  }, [shown, snap.chains]);
  const stats = useMemo(
    () => countStats(snap.connections, snap.sockets, chainOf),
    [snap.connections, chainOf],
  );
  const truncated = snap.truncatedFrames;

  const open = detailOpen && selectedId ? snap.connectionById.get(selectedId) : undefined;
  const openSocket = open ? snap.sockets.find((s) => s.id === open.id) : undefined;
  const openChain = open ? chainOf.get(open.id) : undefined;

  const importFile = async (file: File) => {
    setImportError(null);
    const result = await readImportFile(file, core);
    if (!result.ok) {
      const still = snap.source.kind === 'imported' ? ` (still showing ${snap.source.name})` : '';
      return setImportError(`${file.name}: ${result.error}${still}`);
    }
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
    if (!detailOpen) setDetailTab(DETAIL_TABS[0]);
    setSelectedId(id);
    setDetailOpen(true);
  };
  const closeDetail = () => {
    setDetailOpen(false);
    // After the render: with the detail alone on screen, the list is hidden until then.
    focusList.current = true;
  };
  useLayoutEffect(() => {
    if (!focusList.current) return;
    focusList.current = false;
    listBox.current?.querySelector<HTMLElement>('[role=listbox]')?.focus();
  });
  const live = snap.source.kind === 'live';

  const openHelp = () => {
    const active = appBox.current?.ownerDocument.activeElement;
    helpReturn.current = active instanceof HTMLElement ? active : null;
    setHelpOpen(true);
  };
  const closeHelp = () => {
    setHelpOpen(false);
    const back = helpReturn.current;
    if (back?.isConnected) back.focus();
    else listBox.current?.querySelector<HTMLElement>('[role=listbox]')?.focus();
  };
  /** Runs a shortcut; false when it does not apply here (the key then goes on, to DevTools too). */
  const runShortcut = ({ action, index }: Match): boolean => {
    if (action === 'help') {
      openHelp();
      return true;
    }
    if (action === 'filter') {
      const box = appBox.current?.querySelector<HTMLInputElement>('input.filter');
      box?.focus();
      box?.select();
      return !!box;
    }
    if (action === 'close-detail') {
      if (!open) return false;
      closeDetail();
      return true;
    }
    if (action === 'tab') {
      const id = DETAIL_TABS[index];
      if (!open || !id) return false;
      setDetailTab(id);
      return true;
    }
    // Everything else is a click on the enabled control that declares the key.
    const keys = controlKeys(action);
    const control = keys ? appBox.current?.querySelector<HTMLElement>(`[aria-keyshortcuts="${keys}"]`) : null;
    if (!control || (control as HTMLButtonElement).disabled) return false;
    control.click();
    return true;
  };
  // The panel's keys, on the body: they work with the focus anywhere in the panel or nowhere (body).
  const onKeyDown = (e: KeyboardEvent) => {
    // A key some part of the panel handled stops here: DevTools must not act on it too (see consumeKey).
    if (e.defaultPrevented) return e.stopPropagation();
    if (isTyping(e.target) || inOverlay(e.target)) return;
    const match = matchShortcut(e);
    if (match && runShortcut(match)) consumeKey(e);
  };
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const body = appBox.current?.ownerDocument.body;
    if (!body) return;
    const listener = (e: KeyboardEvent) => keyHandler.current(e);
    body.addEventListener('keydown', listener);
    return () => body.removeEventListener('keydown', listener);
  }, []);
  const layout = paneLayout(mainSize.width, mainSize.height);
  useLayoutEffect(() => {
    // The detail alone on screen: the focus leaves the hidden list for the detail's tabs.
    if (!open || layout !== 'detail') return;
    const doc = appBox.current?.ownerDocument;
    const at = doc?.activeElement;
    if (at && at !== doc.body && !at.closest('[hidden]')) return;
    appBox.current?.querySelector<HTMLElement>('.detail [role=tab][aria-selected=true]')?.focus();
  }, [open, layout]);
  // DevTools' own theme when it says; otherwise the system's (one dark palette in theme.css serves both).
  const systemDark = useSystemDark();

  return (
    <div
      ref={appBox}
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
      <header class="khp-header">
        <h1 class="sr-only">KHP Inspector</h1>
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
          onHelp={openHelp}
          sharedWorkers={
            shared && {
              on: sharedOn,
              onChange: (on) => void shared.set(on).then(setSharedOn),
            }
          }
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
          importFailed={importError !== null}
        />
        {importError && (
          <div class="banner error" role="alert">
            {importError}
            <button type="button" onClick={() => setImportError(null)}>
              Dismiss
            </button>
          </div>
        )}
      </header>
      <main class="main" ref={listBox}>
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
            layout={layout}
            first={
              <ConnectionList
                groups={groups}
                navigations={snap.navigations}
                selectedId={selectedId}
                onSelect={setSelectedId}
                onOpen={openRow}
                onEscape={open ? closeDetail : undefined}
                onMenu={openSocketMenu}
              />
            }
            second={
              open && openSocket ? (
                <DetailPane
                  connection={open}
                  socket={openSocket}
                  chain={openChain}
                  byId={snap.connectionById}
                  tab={detailTab}
                  onTab={setDetailTab}
                  onClose={closeDetail}
                  onOpen={openRow}
                />
              ) : null
            }
          />
        )}
        {/* Inside the main landmark: the menus act on what it shows (fixed position, out of its flow). */}
        <MenuLayer />
      </main>
      <footer class="khp-footer">
        <StatusBar stats={stats} shown={shown.length} connected={snap.connected} live={live} />
      </footer>
      <ReplayLayer onOpen={openRow} />
      {helpOpen && <ShortcutsHelp onClose={closeHelp} />}
    </div>
  );
}
