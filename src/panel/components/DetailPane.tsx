import { CHAIN_FAILURE_LABEL, endingFailure } from '../store/summary';
import { useEffect, useState } from 'preact/hooks';
import type { CapturedSocket } from '../../protocol/capture';
import type { Chain, Connection } from '../../protocol/model';
import { splitUrl } from '../store/layout';
import { truncationNote } from '../store/truncation';
import { OutcomeBadge } from './OutcomeBadge';
import { ExtensionsTab } from './ExtensionsTab';
import { FindingsTab } from './FindingsTab';
import { HandshakeTab } from './HandshakeTab';
import { MenuButton } from './MenuButton';
import { MessagesTab } from './MessagesTab';
import { RedirectsTab } from './RedirectsTab';
import { ReplayActions } from './ReplayActions';
import { Tabs } from './Tabs';
import { useSocketMenuItems } from './use-socket-menu';

interface Props {
  connection: Connection;
  socket: CapturedSocket;
  chain: Chain | undefined;
  byId: Map<string, Connection>;
  /** The tab shown (App keeps it, so the number keys work from the list too). */
  tab: string;
  onTab(id: string): void;
  onClose(): void;
  onOpen(id: string): void;
}

/** The socket's URL, elided in the middle when space is short; all of it in the tooltip and a click selects it. */
function DetailUrl({ url }: { url: string }) {
  if (!url) return <span class="detail-url">(unknown URL)</span>;
  const [head, tail] = splitUrl(url);
  return (
    <span class="detail-url" title={url}>
      <span class="url-head">{head}</span>
      <span class="url-tail">{tail}</span>
    </span>
  );
}

/** A socket's detail: handshake, messages, extensions, redirects, findings. Esc closes it. */
export function DetailPane({
  connection: c,
  socket,
  chain,
  byId,
  tab,
  onTab: setTab,
  onClose,
  onOpen,
}: Props) {
  const [frame, setFrame] = useState<number | null>(null);
  useEffect(() => setFrame(null), [c.id]);
  const socketMenu = useSocketMenuItems();
  const hops = chain?.connections.length ?? 1;
  // A chain that failed as a whole says so on its last hop, beside the socket's own findings.
  const lastHop = chain !== undefined && chain.connections[chain.connections.length - 1] === c.id;
  const chainFindings = lastHop ? chain.findings : [];
  const failure = endingFailure(chain, c.id);
  const cut = truncationNote(socket.truncatedFields);
  const tabs = [
    { id: 'handshake', label: 'Handshake', badge: c.rounds.length > 1 ? `${c.rounds.length} rounds` : '' },
    { id: 'messages', label: 'Messages', badge: c.frameCount },
    { id: 'extensions', label: 'Extensions', badge: c.extensions.length || '' },
    { id: 'redirects', label: 'Redirects', badge: hops > 1 ? hops : '' },
    { id: 'findings', label: 'Findings', badge: c.findings.length + chainFindings.length || '' },
  ];
  const showFrame = (i: number) => {
    setFrame(i);
    setTab('messages');
  };
  return (
    <section
      class="detail"
      aria-label={`Socket ${c.url}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header class="detail-head">
        <button
          type="button"
          class="tool-button"
          aria-label="Close detail"
          title="Close (Esc)"
          onClick={onClose}
        >
          <span aria-hidden="true">✕</span>
        </button>
        <DetailUrl url={c.url} />
        <OutcomeBadge outcome={c.outcome} />
        {failure && <span class="badge outcome-failed">{CHAIN_FAILURE_LABEL[failure]}</span>}
        <ReplayActions connection={c} socket={socket} chain={chain} byId={byId} />
        <MenuButton label="Copy this socket" items={() => socketMenu(c.id)} />
      </header>
      {c.worker && (
        <div class="banner info detail-worker" role="note">
          Opened in a {c.worker.kind} worker of the page, from the script <code>{c.worker.url}</code>
        </div>
      )}
      {cut && (
        <div class="banner warn detail-cut" role="note">
          {cut}
        </div>
      )}
      <Tabs tabs={tabs} active={tab} onChange={setTab} idPrefix="detail" label="Socket detail">
        {tab === 'handshake' && <HandshakeTab connection={c} socket={socket} />}
        {tab === 'messages' && (
          <MessagesTab connection={c} socket={socket} selected={frame} onSelect={setFrame} />
        )}
        {tab === 'extensions' && <ExtensionsTab connection={c} />}
        {tab === 'redirects' && <RedirectsTab connection={c} chain={chain} byId={byId} onOpen={onOpen} />}
        {tab === 'findings' && (
          <FindingsTab findings={c.findings} chainFindings={chainFindings} onShowFrame={showFrame} />
        )}
      </Tabs>
    </section>
  );
}
