import { useEffect, useRef } from 'preact/hooks';
import type { ReplayPreview } from '../../replay/command';
import type { Issue } from '../../replay/types';
import { originOf } from '../store/replay-store';
import { ReplayIssues } from './ReplayIssues';

interface Props {
  preview: ReplayPreview;
  /** The page the original socket was opened from, and the inspected page now (null: unknown). */
  capturePage: string | null;
  inspectedPage: string | null;
  fromImport: boolean;
  /** Warnings about the request (a confirmed draft has no errors). */
  warnings: readonly Issue[];
  onSend(): void;
  onEdit(): void;
  onCancel(): void;
}

/** The confirm step: exactly what will be sent, from where, and what was left out. */
export function ReplayConfirm(props: Props) {
  const { preview: p, capturePage, inspectedPage, fromImport, warnings, onSend, onEdit, onCancel } = props;
  const send = useRef<HTMLButtonElement>(null);
  useEffect(() => send.current?.focus(), []);
  const captureOrigin = originOf(capturePage);
  const pageOrigin = originOf(inspectedPage);
  const otherOrigin = captureOrigin !== null && pageOrigin !== null && captureOrigin !== pageOrigin;
  const options = [
    p.followRedirects
      ? `follow up to ${p.maxRedirects} redirect${p.maxRedirects === 1 ? '' : 's'}`
      : 'do not follow redirects',
    p.answer401 ? 'answer one 401 per socket with the Authorization below' : 'stop at a 401',
    p.answerPings ? 'answer extended pings' : 'do not answer pings',
    p.keepOpen ? 'keep the socket open after the handshake' : 'close the socket after the handshake',
  ];
  return (
    <div class="replay-confirm">
      <p>
        The inspected page{inspectedPage ? ` (${inspectedPage})` : ''} will open a WebSocket and send this
        request, with its own origin and cookies. The replay appears in the list as a new socket.
      </p>
      {otherOrigin && (
        <p class="replay-issue warning" role="note">
          ⚠ This socket was captured on {captureOrigin}, but the inspected page is on {pageOrigin}: the server
          sees a different Origin and other cookies
          {fromImport ? ' (the capture comes from an imported file)' : ''}.
        </p>
      )}
      <dl class="replay-summary">
        <dt>URL</dt>
        <dd class="mono">{p.url}</dd>
        <dt>Protocols</dt>
        <dd class="mono">{p.protocols.join(', ')}</dd>
        <dt>Request{p.binary ? ' (binary message)' : ' (text message)'}</dt>
        <dd>
          <pre class="replay-request" aria-label="Request to send">
            {p.request}
          </pre>
        </dd>
        {p.answer401 && (
          <>
            <dt>Answer to a 401</dt>
            <dd class="mono">Authorization: {p.answer401}</dd>
          </>
        )}
        <dt>Options</dt>
        <dd>{options.join('; ')}.</dd>
        {(p.removed.length > 0 || p.answerRemoved) && (
          <>
            <dt>Not sent</dt>
            <dd class="replay-removed" aria-label="Captured credentials removed">
              Captured credentials removed:{' '}
              {[
                ...p.removed.map(([n]) => n),
                ...(p.answerRemoved ? ['Authorization (the answer to 401)'] : []),
              ].join(', ')}
              . Tick “keep captured credentials” in the editor to send them.
            </dd>
          </>
        )}
        {p.keptCaptured.length > 0 && (
          <>
            <dt>Kept</dt>
            <dd class="replay-issue warning">
              Captured credentials sent: {p.keptCaptured.map(([n]) => n).join(', ')}.
            </dd>
          </>
        )}
      </dl>
      <ReplayIssues issues={warnings} />
      <div class="replay-buttons">
        <button type="button" class="tool-button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="tool-button" onClick={onEdit}>
          Edit…
        </button>
        <button type="button" class="tool-button primary" ref={send} onClick={onSend}>
          Send replay
        </button>
      </div>
    </div>
  );
}
