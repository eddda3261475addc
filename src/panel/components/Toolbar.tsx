import type { DataSource } from '../store/panel-store';
import { controlKeys } from '../store/shortcuts';
import { ExportMenu } from './ExportMenu';

interface Props {
  filter: string;
  filterError: string | null;
  onFilter(text: string): void;
  preserveLog: boolean;
  onPreserveLog(on: boolean): void;
  fullCapture: boolean;
  onFullCapture(on: boolean): void;
  onClear(): void;
  onImport(): void;
  onExport(format: 'har' | 'json', includeCredentials: boolean): void;
  source: DataSource;
  onBackToLive(): void;
  canExport: boolean;
  onHelp(): void;
  /** The shared-worker switch, where the browser has one (Chromium DevTools). */
  sharedWorkers?: { on: boolean; onChange(on: boolean): void } | undefined;
}

/** ` (P)`: a control's shortcut for its tooltip. */
const keyHint = (keys: string) => (keys ? ` (${keys.replace('Control+', 'Ctrl+')})` : '');

function ToolButton(props: {
  label: string;
  icon: string;
  onClick(): void;
  disabled?: boolean;
  keys?: string;
}) {
  return (
    <button
      type="button"
      class="tool-button"
      title={props.label + keyHint(props.keys ?? '')}
      aria-label={props.label}
      aria-keyshortcuts={props.keys || undefined}
      onClick={props.onClick}
      disabled={props.disabled}
    >
      <span aria-hidden="true">{props.icon}</span>
    </button>
  );
}

function Toggle(props: {
  label: string;
  checked: boolean;
  onChange(on: boolean): void;
  title: string;
  keys: string;
}) {
  return (
    <label class="tool-toggle" title={props.title + keyHint(props.keys)}>
      <input
        type="checkbox"
        aria-keyshortcuts={props.keys || undefined}
        checked={props.checked}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      {props.label}
    </label>
  );
}

function Sep() {
  return <span class="tool-sep" aria-hidden="true" />;
}

/** The DevTools-style toolbar: clear, filter, preserve log, full capture, import/export, source. */
export function Toolbar(p: Props) {
  const imported = p.source.kind === 'imported';
  return (
    <div class="toolbar" role="toolbar" aria-label="Capture controls">
      <ToolButton
        label="Clear"
        icon="⊘"
        onClick={p.onClear}
        disabled={imported}
        keys={controlKeys('clear')}
      />
      <Sep />
      <input
        type="search"
        class={`filter${p.filterError ? ' invalid' : ''}`}
        placeholder="Filter  (text, /regex/, -negate, status:401, outcome:failed, rule:, data:)"
        aria-label="Filter connections"
        title={
          p.filterError ?? 'text, /regex/, -negate, status:, outcome:, ext:, rule:, url:, protocol:, khp:'
        }
        value={p.filter}
        onInput={(e) => p.onFilter((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && p.filter) {
            e.preventDefault();
            e.stopPropagation();
            p.onFilter('');
          }
        }}
      />
      <Sep />
      <Toggle
        label="Preserve log"
        checked={p.preserveLog}
        onChange={p.onPreserveLog}
        title="Keep sockets when the page navigates or reloads"
        keys={controlKeys('preserve-log')}
      />
      <Toggle
        label="Capture all frames"
        checked={p.fullCapture}
        onChange={p.onFullCapture}
        title="Keep every frame instead of a per-socket budget after the handshake"
        keys={controlKeys('capture-all')}
      />
      {p.sharedWorkers && (
        <Toggle
          label="Shared workers"
          checked={p.sharedWorkers.on}
          onChange={p.sharedWorkers.onChange}
          title="Also list the sockets of this page's shared workers, read through the debugger (asks for the debugger permission; the browser shows that the extension is debugging it)"
          keys=""
        />
      )}
      <Sep />
      <ToolButton
        label="Import HAR or capture file"
        icon="⤒"
        onClick={p.onImport}
        keys={controlKeys('import')}
      />
      <ExportMenu onExport={p.onExport} disabled={!p.canExport} keys={controlKeys('export')} />
      {imported && p.source.kind === 'imported' && (
        <span class="source-indicator" role="status">
          imported: {p.source.name}
          <button
            type="button"
            class="link-button"
            onClick={p.onBackToLive}
            aria-keyshortcuts={controlKeys('back-to-live')}
            title={`Show the tab's own capture${keyHint(controlKeys('back-to-live'))}`}
          >
            back to live
          </button>
        </span>
      )}
      <span class="tool-end">
        <ToolButton label="Keyboard shortcuts" icon="⌨" onClick={p.onHelp} keys="?" />
      </span>
    </div>
  );
}
