import { useMemo, useState } from 'preact/hooks';
import type { CapturedFrame } from '../../protocol/capture';
import type { DecodedRequest, DecodedResponse, Round } from '../../protocol/model';
import { usePanel } from '../store/context';
import { useMenuStore } from '../store/menu-context';
import { menuPoint } from '../store/menu-store';
import { charOffset, joinedBytes } from '../store/payload';
import { messageMenuItems } from './copy-menus';
import { HeadersTable } from './HeadersTable';
import { MenuButton } from './MenuButton';
import { HexView } from './HexView';
import { RawText } from './RawText';
import { StatusMeaning } from './StatusMeaning';
import { Tabs } from './Tabs';

type Props =
  | { kind: 'request'; message: DecodedRequest; frames: CapturedFrame[]; round?: Round }
  | { kind: 'response'; message: DecodedResponse; frames: CapturedFrame[]; round?: Round };

/** An extended-handshake HTTP message: headers table, raw text, hex bytes, and what its status means. */
export function HttpMessageView(props: Props) {
  const { core } = usePanel();
  const [view, setView] = useState('headers');
  const m = props.message;
  const bytes = useMemo(() => joinedBytes(props.frames, m.frames), [props.frames, m.frames]);
  const broke = useMemo(() => {
    const err = core.parseError(props.kind, bytes);
    return err && err.offset < bytes.length ? err : null;
  }, [core, props.kind, bytes]);
  const firstLine =
    props.kind === 'request'
      ? `${props.message.method} ${props.message.target} ${props.message.version}`
      : `${props.message.version} ${props.message.statusText} ${props.message.reason}`;
  const menus = useMenuStore();
  const menuItems = () =>
    messageMenuItems(props.kind, props.message, props.frames, (text, what) => menus.copy(text, what));
  const tabs = [
    { id: 'headers', label: 'Headers', badge: m.headers.length },
    { id: 'raw', label: 'Raw' },
    { id: 'hex', label: m.binary ? 'Hex (binary frame)' : 'Hex' },
  ];
  return (
    <section class="http-message" aria-label={`Extended handshake ${props.kind}`}>
      <div
        class="http-first-line"
        onContextMenu={(e) => {
          e.preventDefault();
          const el = e.currentTarget as HTMLElement;
          menus.open({
            label: `Extended ${props.kind}`,
            items: menuItems(),
            ...menuPoint(e, el),
            // Esc gives the focus to the line's ⋯ button.
            returnFocus: el.querySelector<HTMLElement>('.menu-button'),
          });
        }}
      >
        <code>{firstLine}</code>
        <span class="muted">
          {' '}
          · frame{m.frames.length > 1 ? 's' : ''} {m.frames.map((f) => `#${f}`).join(', ')} ·{' '}
          {m.binary ? 'binary' : 'text'}
          {props.kind === 'response' && ` · ended by ${terminatorText(props.message.terminator)}`}
        </span>
        <MenuButton label={`Copy the extended ${props.kind}`} items={menuItems} />
      </div>
      {props.kind === 'response' && props.round && <StatusMeaning round={props.round} />}
      {broke && (
        <div class="banner error" role="alert">
          Malformed {props.kind}: {broke.message} at byte {broke.offset}
          {broke.expected ? ` (expected ${broke.expected})` : ''}. The byte is marked in the Raw and Hex
          views.
        </div>
      )}
      <Tabs
        tabs={tabs}
        active={view}
        onChange={setView}
        idPrefix={`http-${props.kind}`}
        label="Message views"
      >
        {view === 'headers' && <HeadersTable headers={m.headers} label={`${props.kind} headers`} />}
        {view === 'raw' && (
          <RawText
            text={m.raw}
            label={`Raw ${props.kind}`}
            highlight={broke ? charOffset(bytes, broke.offset) : undefined}
          />
        )}
        {view === 'hex' && <HexView bytes={bytes} highlight={broke?.offset} label={`${props.kind} bytes`} />}
      </Tabs>
    </section>
  );
}

function terminatorText(t: DecodedResponse['terminator']): string {
  if (t === 'empty-frame') return 'an empty frame';
  if (t === 'message-end') return 'the end of the HTTP message (no empty frame)';
  return 'nothing yet (incomplete)';
}
