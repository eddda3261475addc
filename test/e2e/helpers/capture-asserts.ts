/** Helpers to read the background's captured events in the browser tests. */
import { base64Decode, utf8Decode } from '../../../src/protocol/bytes';
import type { CaptureEvent } from '../../../src/protocol/capture';
import type { TabState } from './extension-query';

type Frame = Extract<CaptureEvent, { type: 'frame' }>;

/** A frame's payload as text (binary frames decoded from base64 as UTF-8). */
export function frameText(f: Frame): string {
  return f.opcode === 1 ? f.data : utf8Decode(base64Decode(f.data) ?? new Uint8Array());
}

/** The events of the socket whose URL ends with `urlEnd`, in order. */
export function socketEvents(state: TabState, urlEnd: string): CaptureEvent[] {
  const create = state.events.find((e) => e.type === 'create' && e.url.endsWith(urlEnd));
  if (!create) throw new Error(`no socket for ...${urlEnd}; sockets: ${urls(state).join(', ')}`);
  return state.events.filter((e) => e.socketId === create.socketId);
}

/** Every created socket's URL. */
export function urls(state: TabState): string[] {
  return state.events.flatMap((e) => (e.type === 'create' ? [e.url] : []));
}

/** A compact transcript: `open:<protocol>`, `send:<text>`, `receive:<text>`, `close:<code>`. */
export function transcript(events: CaptureEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'frame') return `${e.dir}:${frameText(e).split('\r\n')[0]}`;
    if (e.type === 'open') return `open:${e.protocol}`;
    if (e.type === 'close') return `close:${e.code}`;
    return e.type;
  });
}

/** True when no event appears twice and the tab's sequence counts every stored event. */
export function noDuplicates(state: TabState): boolean {
  const keys = state.events.map((e) => JSON.stringify(e));
  return new Set(keys).size === keys.length && state.seq === state.events.length + state.droppedEvents;
}
