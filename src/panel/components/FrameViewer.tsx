import { useMemo, useState } from 'preact/hooks';
import type { CapturedFrame } from '../../protocol/capture';
import { frameBytes } from '../../protocol/bytes';
import type { FrameRole } from '../../protocol/model';
import { usePanel } from '../store/context';
import { useMenuStore } from '../store/menu-context';
import { menuPoint } from '../store/menu-store';
import { charOffset, frameText, hasControls, prettyJson, ROLE_LABEL } from '../store/payload';
import { formatBytes, formatOffset } from '../store/summary';
import { frameMenuItems } from './copy-menus';
import { HexView } from './HexView';
import { MenuButton } from './MenuButton';
import { RawText } from './RawText';
import { Tabs } from './Tabs';

interface Props {
  frame: CapturedFrame;
  index: number;
  role: FrameRole | undefined;
  startedAt: number;
  /** More of the payload than the capture kept, as the network logged it (the network witness). */
  fromNetwork?: CapturedFrame | undefined;
}

const PARSED_ROLES: (FrameRole | undefined)[] = ['handshake-request', 'handshake-response', 'unexpected'];

/** One frame's payload as text, pretty JSON or hex; a broken handshake payload shows where it broke. */
export function FrameViewer({ frame: captured, index, role, startedAt, fromNetwork }: Props) {
  const { core } = usePanel();
  const [view, setView] = useState(captured.opcode === 2 || hasControls(captured.data) ? 'hex' : 'text');
  /** The frame whose payload is shown from the network (the choice is per frame). */
  const [networkFor, setNetworkFor] = useState<CapturedFrame | null>(null);
  const network = fromNetwork && networkFor === captured ? fromNetwork : undefined;
  const frame = network ?? captured;
  const bytes = useMemo(() => frameBytes(frame), [frame]);
  const text = useMemo(() => frameText(frame), [frame]);
  const broke = useMemo(() => {
    if (!PARSED_ROLES.includes(role) || bytes.length === 0) return null;
    const looksHttp = /^(HTTP\/|[A-Z]+ \S+ HTTP\/)/.test(text.slice(0, 40));
    if (role === 'unexpected' && !looksHttp) return null;
    const err = core.parseError(frame.dir === 'send' ? 'request' : 'response', bytes);
    return err && err.offset < bytes.length ? err : null;
  }, [core, role, bytes, text, frame.dir]);
  const json = view === 'json' ? prettyJson(text) : null;
  const menus = useMenuStore();
  const menuItems = () => frameMenuItems(frame, index, (t, what) => menus.copy(t, what));
  const tabs = [
    { id: 'text', label: 'Text' },
    { id: 'json', label: 'JSON' },
    { id: 'hex', label: 'Hex' },
  ];
  return (
    <section class="frame-viewer" aria-label={`Frame ${index}`}>
      <div
        class="frame-meta"
        onContextMenu={(e) => {
          e.preventDefault();
          const el = e.currentTarget as HTMLElement;
          menus.open({
            label: `Frame ${index}`,
            items: menuItems(),
            ...menuPoint(e, el),
            // Esc gives the focus to the line's ⋯ button.
            returnFocus: el.querySelector<HTMLElement>('.menu-button'),
          });
        }}
      >
        <span>#{index}</span>
        <span>{frame.dir === 'send' ? '↑ sent' : '↓ received'}</span>
        <span>{frame.opcode === 1 ? 'text' : 'binary'}</span>
        <span class={`role role-${role ?? 'data'}`}>{role ? ROLE_LABEL[role] : '—'}</span>
        <span>{formatBytes(frame.size)}</span>
        <span>{formatOffset(captured.time - startedAt)}</span>
        <MenuButton label={`Copy frame ${index}`} items={menuItems} />
      </div>
      {network ? (
        <div class="banner info" role="status">
          Payload from the network
          {network.truncated
            ? `: its first ${formatBytes(bytes.length)} of ${formatBytes(network.size)}. `
            : ', whole. '}
          <button type="button" class="link-button" onClick={() => setNetworkFor(null)}>
            Show the captured preview
          </button>
        </div>
      ) : (
        frame.truncated && (
          <div class="banner warn" role="status">
            Only the first {formatBytes(bytes.length)} of {formatBytes(frame.size)} were captured. Turn on
            “Capture all frames” to keep whole payloads.
            {fromNetwork && (
              <>
                {' '}
                <button type="button" class="link-button" onClick={() => setNetworkFor(captured)}>
                  Show the payload from the network
                </button>
              </>
            )}
          </div>
        )
      )}
      {broke && (
        <div class="banner error" role="alert">
          Malformed {frame.dir === 'send' ? 'request' : 'response'}: {broke.message} at byte {broke.offset}
          {broke.expected ? ` (expected ${broke.expected})` : ''}.
        </div>
      )}
      <Tabs tabs={tabs} active={view} onChange={setView} idPrefix="frame" label="Payload views">
        {view === 'text' && (
          <RawText
            text={text}
            label="Payload text"
            highlight={broke ? charOffset(bytes, broke.offset) : undefined}
          />
        )}
        {view === 'json' &&
          json &&
          (json.ok ? (
            <RawText text={json.text} label="Payload JSON" />
          ) : (
            <div class="note">Not JSON: {json.error}</div>
          ))}
        {view === 'hex' && <HexView bytes={bytes} highlight={broke?.offset} label="Payload bytes" />}
      </Tabs>
    </section>
  );
}
