/**
 * The items of the panel's context menus: what can be copied from a socket, a frame, and an
 * extended-handshake message. Texts are built when an item runs, not when the menu opens (a socket's
 * HAR can be large).
 */
import { frameBytes } from '../../protocol/bytes';
import type { CapturedFrame, CapturedSocket } from '../../protocol/capture';
import type { Connection, DecodedRequest, DecodedResponse, TimelineStep } from '../../protocol/model';
import type { PanelCore } from '../store/core-port';
import {
  frameCopyText,
  lastMessages,
  messageCopyText,
  socketHarText,
  type FrameCopyFormat,
} from '../store/copy-text';
import type { MenuItem } from '../store/menu-store';
import { hasCredentials, probeCommand } from '../store/probe-command';
import { formatBytes } from '../store/summary';

/** Copies text and notes it (`MenuStore.copy`). */
export type CopyFn = (text: string, what: string) => unknown;

const FORMAT_LABEL: Record<FrameCopyFormat, string> = { text: 'text', hex: 'hex', base64: 'base64' };

/** Copy a socket's URL, last request and response, HAR (redacted, or with credentials) and probe command. */
export function socketMenuItems(
  c: Connection,
  socket: CapturedSocket | undefined,
  core: PanelCore,
  copy: CopyFn,
): MenuItem[] {
  const { request, response } = lastMessages(c);
  const frames = socket?.frames ?? [];
  const credentials = hasCredentials(c);
  const items: MenuItem[] = [
    { label: 'Copy URL', run: () => copy(c.url, 'URL') },
    {
      label: 'Copy extended request',
      disabled: !request,
      run: () => request && copy(messageCopyText(request, frames, 'text'), 'extended request'),
    },
    {
      label: 'Copy extended response',
      disabled: !response,
      run: () => response && copy(messageCopyText(response, frames, 'text'), 'extended response'),
    },
    {
      label: 'Copy as HAR (credentials redacted)',
      separatorBefore: true,
      disabled: !socket,
      run: () => socket && copy(socketHarText(core, socket, true), 'HAR (credentials redacted)'),
    },
    {
      label: 'Copy as HAR with credentials',
      disabled: !socket,
      run: () => socket && copy(socketHarText(core, socket, false), 'HAR with credentials'),
    },
    {
      label: 'Copy as probe command',
      separatorBefore: true,
      run: () => copy(probeCommand(c), 'probe command'),
    },
  ];
  if (credentials)
    items.push({
      label: 'Copy as probe command with credentials',
      run: () => copy(probeCommand(c, { credentials: true }), 'probe command with credentials'),
    });
  return items;
}

/** The note for a copied frame, saying when only the captured start of the payload was copied. */
function frameWhat(frame: CapturedFrame, index: number, format: FrameCopyFormat): string {
  const what = `frame #${index} as ${FORMAT_LABEL[format]}`;
  if (!frame.truncated) return what;
  return `${what}: the ${formatBytes(frameBytes(frame).length)} captured of ${formatBytes(frame.size)}`;
}

/** Copy one frame's payload as text, hex or base64. */
export function frameMenuItems(frame: CapturedFrame, index: number, copy: CopyFn): MenuItem[] {
  return (['text', 'hex', 'base64'] as const).map((format) => ({
    label: `Copy as ${FORMAT_LABEL[format]}`,
    run: () => copy(frameCopyText(frame, format), frameWhat(frame, index, format)),
  }));
}

/** Copy an extended-handshake message as its HTTP text, or its bytes as hex or base64. */
export function messageMenuItems(
  kind: 'request' | 'response',
  message: DecodedRequest | DecodedResponse,
  frames: CapturedFrame[],
  copy: CopyFn,
): MenuItem[] {
  const name = `extended ${kind}`;
  return [
    { label: `Copy ${name}`, run: () => copy(messageCopyText(message, frames, 'text'), name) },
    { label: 'Copy as hex', run: () => copy(messageCopyText(message, frames, 'hex'), `${name} as hex`) },
    {
      label: 'Copy as base64',
      run: () => copy(messageCopyText(message, frames, 'base64'), `${name} as base64`),
    },
  ];
}

/** The items for a handshake step: its HTTP message, else its frame, else the socket's URL. */
export function stepMenuItems(
  step: TimelineStep,
  c: Connection,
  socket: CapturedSocket,
  copy: CopyFn,
): MenuItem[] {
  const round = step.round !== undefined ? c.rounds[step.round] : undefined;
  if (step.kind === 'request' && round?.request)
    return messageMenuItems('request', round.request, socket.frames, copy);
  if ((step.kind === 'response' || step.kind === 'completed' || step.kind === 'redirect') && round?.response)
    return messageMenuItems('response', round.response, socket.frames, copy);
  const frame = step.frame !== undefined ? socket.frames[step.frame] : undefined;
  if (frame && step.frame !== undefined) return frameMenuItems(frame, step.frame, copy);
  return [{ label: 'Copy URL', run: () => copy(c.url, 'URL') }];
}
