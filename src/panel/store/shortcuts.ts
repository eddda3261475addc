/**
 * The panel's keyboard shortcuts: one table that the key handler matches against and the help
 * overlay lists, and the rules for when a key belongs to the panel at all.
 */

/** What a shortcut does; `null` for keys a component handles itself (listed for the help only). */
export type ShortcutAction =
  | 'help'
  | 'filter'
  | 'clear'
  | 'preserve-log'
  | 'capture-all'
  | 'import'
  | 'export'
  | 'back-to-live'
  | 'tab'
  | 'replay'
  | 'edit-replay'
  | 'compare'
  | 'close-detail';

/** One key: `key` as in `KeyboardEvent.key` (letters lower case); `mod` is Ctrl, or ⌘ on macOS. */
export interface KeyBinding {
  key: string;
  mod?: boolean;
}

export interface Shortcut {
  group: 'Panel' | 'Connection list' | 'Socket detail' | 'Handshake and Messages';
  label: string;
  /** Key chips shown in the help, one array per alternative (`Mod` is shown as Ctrl or ⌘). */
  keys: readonly (readonly string[])[];
  action: ShortcutAction | null;
  /** The bindings the handler matches (`action` only). */
  bindings?: readonly KeyBinding[];
  /**
   * For an action that is a control's click: the control's `aria-keyshortcuts` value. The handler
   * clicks the enabled control that declares it, so the key does what the click does, where it can.
   */
  control?: string;
}

/** The detail's tabs in the order of their number keys. */
export const DETAIL_TABS = ['handshake', 'messages', 'extensions', 'redirects', 'findings'] as const;

const letter = (key: string): KeyBinding[] => [{ key }];

export const SHORTCUTS: readonly Shortcut[] = [
  { group: 'Panel', label: 'Show keyboard shortcuts', keys: [['?']], action: 'help', bindings: letter('?') },
  {
    group: 'Panel',
    label: 'Focus the filter',
    keys: [['Mod', 'F']],
    action: 'filter',
    bindings: [{ key: 'f', mod: true }],
  },
  { group: 'Panel', label: 'Empty the filter (in the filter box)', keys: [['Esc']], action: null },
  {
    group: 'Panel',
    label: 'Clear the capture',
    keys: [['Mod', 'L']],
    action: 'clear',
    bindings: [{ key: 'l', mod: true }],
    control: 'Control+L',
  },
  {
    group: 'Panel',
    label: 'Preserve log on / off',
    keys: [['P']],
    action: 'preserve-log',
    bindings: letter('p'),
    control: 'P',
  },
  {
    group: 'Panel',
    label: 'Capture all frames on / off',
    keys: [['A']],
    action: 'capture-all',
    bindings: letter('a'),
    control: 'A',
  },
  {
    group: 'Panel',
    label: 'Import a HAR or capture file',
    keys: [['I']],
    action: 'import',
    bindings: letter('i'),
    control: 'I',
  },
  {
    group: 'Panel',
    label: 'Export (opens the menu)',
    keys: [['X']],
    action: 'export',
    bindings: letter('x'),
    control: 'X',
  },
  {
    group: 'Panel',
    label: 'Back to live (when a file is shown)',
    keys: [['L']],
    action: 'back-to-live',
    bindings: letter('l'),
    control: 'L',
  },
  {
    group: 'Connection list',
    label: 'Select the previous / next socket',
    keys: [['↑'], ['↓']],
    action: null,
  },
  {
    group: 'Connection list',
    label: 'Select the first / last socket',
    keys: [['Home'], ['End']],
    action: null,
  },
  { group: 'Connection list', label: 'Open the selected socket', keys: [['Enter']], action: null },
  {
    group: 'Connection list',
    label: 'Resize list and detail (divider focused)',
    keys: [['←'], ['→'], ['↑'], ['↓']],
    action: null,
  },
  {
    group: 'Socket detail',
    label: 'Show Handshake, Messages, Extensions, Redirects, Findings',
    keys: [['1'], ['2'], ['3'], ['4'], ['5']],
    action: 'tab',
    bindings: DETAIL_TABS.map((_, i) => ({ key: String(i + 1) })),
  },
  {
    group: 'Socket detail',
    label: 'Previous / next tab (tab strip focused)',
    keys: [['←'], ['→']],
    action: null,
  },
  {
    group: 'Socket detail',
    label: 'Replay the handshake',
    keys: [['R']],
    action: 'replay',
    bindings: letter('r'),
    control: 'R',
  },
  {
    group: 'Socket detail',
    label: 'Edit and replay',
    keys: [['E']],
    action: 'edit-replay',
    bindings: letter('e'),
    control: 'E',
  },
  {
    group: 'Socket detail',
    label: 'Compare a replay with its original',
    keys: [['C']],
    action: 'compare',
    bindings: letter('c'),
    control: 'C',
  },
  {
    group: 'Socket detail',
    label: 'Close the detail (from the list too)',
    keys: [['Esc']],
    action: 'close-detail',
    bindings: [{ key: 'Escape' }],
  },
  {
    group: 'Handshake and Messages',
    label: 'Move between steps or frames',
    keys: [['↑'], ['↓']],
    action: null,
  },
  { group: 'Handshake and Messages', label: 'Show the focused step', keys: [['Enter']], action: null },
  {
    group: 'Handshake and Messages',
    label: 'Page through frames; first / last frame',
    keys: [['PgUp'], ['PgDn'], ['Home'], ['End']],
    action: null,
  },
];

/** The shortcut a key event asks for, with the binding's index (the tab number's, for `tab`). */
export interface Match {
  action: ShortcutAction;
  index: number;
}

/** Matches a keydown against the table: letters without Shift, `Mod` shortcuts with Ctrl or ⌘, never Alt. */
export function matchShortcut(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
): Match | null {
  if (e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  // A shifted letter is another key (Shift+R is not R); symbols such as ? need Shift on most layouts.
  if (e.shiftKey && /^[a-z0-9]$/.test(key)) return null;
  for (const s of SHORTCUTS) {
    if (!s.action || !s.bindings) continue;
    const index = s.bindings.findIndex((b) => b.key === key && !!b.mod === mod);
    if (index >= 0) return { action: s.action, index };
  }
  return null;
}

/** True when keys typed at `target` are text: inputs, text areas, selects, editable content. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName)) return true;
  if (el.tagName !== 'INPUT') return false;
  // Checkboxes, radios and buttons take no text: shortcuts still work there.
  return !/^(checkbox|radio|button|submit|reset|file|range|color)$/.test((el as HTMLInputElement).type);
}

/** True inside a dialog (the replay editor, the shortcuts help) or a menu: panel keys wait. */
export function inOverlay(target: EventTarget | null): boolean {
  const el = target as Element | null;
  return !!el && typeof el.closest === 'function' && !!el.closest('[role=dialog], [role=menu]');
}

/** The `aria-keyshortcuts` value of the control an action clicks ('' for none). */
export function controlKeys(action: ShortcutAction): string {
  return SHORTCUTS.find((s) => s.action === action)?.control ?? '';
}

/**
 * Keeps a key the panel consumed from DevTools. Chromium's DevTools injects a script into extension
 * panels that listens for `keydown` on the panel's document and forwards every key DevTools has a
 * shortcut for (Esc: the console drawer, ?: settings, Ctrl+F, Ctrl+P...) to the DevTools window,
 * whether or not it was `defaultPrevented`; only a focused input or text area is exempt. See
 * `forwardKeyboardEvent` in devtools-frontend's front_end/models/extensions/ExtensionAPI.ts:
 * https://source.chromium.org/chromium/chromium/src/+/main:third_party/devtools-frontend/src/front_end/models/extensions/ExtensionAPI.ts
 * So the panel stops such a key's propagation before it reaches the document; `preventDefault` also
 * tells the browser (and Firefox's toolbox) that the key was handled.
 */
export function consumeKey(e: Event): void {
  e.preventDefault();
  e.stopPropagation();
}
