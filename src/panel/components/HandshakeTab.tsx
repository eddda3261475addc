import { useState } from 'preact/hooks';
import type { CapturedSocket } from '../../protocol/capture';
import type { Connection, TimelineStep } from '../../protocol/model';
import { useMenuStore } from '../store/menu-context';
import { menuPoint } from '../store/menu-store';
import { stepMenuItems } from './copy-menus';
import { HttpMessageView } from './HttpMessageView';
import { FrameViewer } from './FrameViewer';
import { FromNetwork, NetworkOpening } from './NetworkOpening';
import { Waterfall } from './Waterfall';

interface Props {
  connection: Connection;
  socket: CapturedSocket;
}

/** The index of the step to show first: the last response (the one that decided the outcome). */
function defaultStep(steps: TimelineStep[]): number {
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.kind === 'response') return i;
  return 0;
}

/** The handshake timeline, and the HTTP message (or frame) behind the selected step. */
export function HandshakeTab({ connection: c, socket }: Props) {
  const [picked, setPicked] = useState<number | null>(null);
  const steps = c.timeline;
  const index = picked !== null && picked < steps.length ? picked : defaultStep(steps);
  const step = steps[index];
  const menus = useMenuStore();
  const openMenu = (i: number, e: MouseEvent | KeyboardEvent, anchor: HTMLElement) => {
    const at = steps[i];
    if (!at) return;
    const items = stepMenuItems(at, c, socket, (text, what) => menus.copy(text, what));
    menus.open({ label: at.label, items, ...menuPoint(e, anchor), returnFocus: anchor });
  };
  return (
    <div class="handshake split-v">
      <div class="handshake-top">
        {!c.khp && (
          <div class="banner info" role="status">
            This socket is not KHP:{' '}
            {c.protocol === null
              ? 'it never opened'
              : c.protocol === ''
                ? 'the server chose no sub-protocol'
                : `the server chose "${c.protocol}"`}
            , so there is no extended handshake. Its frames are in Messages.
          </div>
        )}
        {c.networkOnly && (
          <div class="banner info" role="status">
            <FromNetwork />{' '}
            {c.worker?.kind === 'shared'
              ? "Only the network saw this socket: a shared worker's, which the page hook does not go into. It was read through the debugger (the toolbar's Shared workers switch) and is decoded from the network's messages."
              : "Only the network saw this socket (the page hook did not: a worker's, or one opened before the hook could see it). It is decoded from the network's messages where the browser's network log holds them (Chromium; Firefox's holds none)."}
          </div>
        )}
        {steps.length === 0 ? <div class="note">No handshake steps yet.</div> : null}
        <Waterfall steps={steps} selected={index} onSelect={setPicked} onMenu={openMenu} />
      </div>
      <div class="handshake-detail">{step && <StepDetail step={step} connection={c} socket={socket} />}</div>
    </div>
  );
}

function StepDetail({
  step,
  connection: c,
  socket,
}: {
  step: TimelineStep;
  connection: Connection;
  socket: CapturedSocket;
}) {
  const round = step.round !== undefined ? c.rounds[step.round] : undefined;
  if (step.kind === 'request' && round?.request) {
    return <HttpMessageView kind="request" message={round.request} frames={socket.frames} round={round} />;
  }
  if (
    (step.kind === 'response' || step.kind === 'completed' || step.kind === 'redirect') &&
    round?.response
  ) {
    return <HttpMessageView kind="response" message={round.response} frames={socket.frames} round={round} />;
  }
  if (step.frame !== undefined && socket.frames[step.frame]) {
    return (
      <FrameViewer
        frame={socket.frames[step.frame]!}
        index={step.frame}
        role={c.roles[step.frame]}
        startedAt={c.startedAt}
      />
    );
  }
  return <SocketFacts step={step} connection={c} socket={socket} />;
}

function SocketFacts({
  step,
  connection: c,
  socket,
}: {
  step: TimelineStep;
  connection: Connection;
  socket: CapturedSocket;
}) {
  const rows: [string, string][] = [['Step', step.label]];
  const opening = step.kind === 'create' || step.kind === 'open';
  if (opening) {
    rows.push(['URL', c.url], ['Requested protocols', c.requestedProtocols.join(', ') || '(none)']);
    rows.push(['Negotiated protocol', c.protocol === null ? '(not opened)' : c.protocol || '(none)']);
    const extensions = c.opening ? c.openingExtensions.map((e) => e.raw).join(', ') : socket.extensions;
    rows.push(['Opening extensions', extensions || '(none)']);
    if (c.kl) rows.push(['.kl=Y', 'present: expect an empty frame after each extended response']);
  }
  if ((step.kind === 'close' || step.kind === 'failed') && c.close) {
    rows.push(['Close code', String(c.close.code)], ['Reason', c.close.reason || '(none)']);
    rows.push(['Clean', c.close.wasClean ? 'yes' : 'no']);
  }
  if (step.kind === 'error' && socket.error)
    rows.push(['Error', socket.error.message ?? 'error event (no detail)']);
  if (c.redirectTo) rows.push(['Redirect to', `${c.redirectTo} (${c.redirectKind ?? ''})`]);
  return (
    <>
      {opening && c.opening && (
        <div class="note">
          Protocols and extensions below are the opening handshake's real headers <FromNetwork />.
        </div>
      )}
      <table class="facts" aria-label="Step details">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {opening && c.opening && <NetworkOpening opening={c.opening} />}
    </>
  );
}
