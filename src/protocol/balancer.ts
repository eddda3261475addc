/**
 * Balancer messages. With `.kl=Y` a Kaazing gateway sends a message whose payload is U+F0FF followed
 * by `N` (UTF-8 `EF 83 BF 4E`) right after the opening handshake and again right after the extended
 * handshake completes; U+F0FF `R` followed by an absolute ws:// URL sends the client to another
 * gateway (guide, "Extended handshake response"). They break the spec's "no other messages should be
 * sent ... until the extended handshake is completed", but they are how real gateways work.
 */
import type { CapturedFrame } from './capture';
import { base64Decode, utf8Decode, utf8Encode } from './bytes';

const MARK = '\uF0FF';
const B0 = 0xef;
const B1 = 0x83;
const B2 = 0xbf;
const N = 0x4e;
const R = 0x52;

/** What a balancer message says. */
export type BalancerMessage = { kind: 'balancer' } | { kind: 'balancer-redirect'; url: string };

function isWsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function fromText(text: string): BalancerMessage | null {
  if (text.charCodeAt(0) !== 0xf0ff || text.length < 2) return null;
  const kind = text[1];
  if (kind === 'N' && text.length === 2) return { kind: 'balancer' };
  if (kind === 'R') {
    const url = text.slice(2).trim();
    if (isWsUrl(url)) return { kind: 'balancer-redirect', url };
  }
  return null;
}

/**
 * Reads a message payload (the bytes of a text or a binary message) as a balancer message, or
 * returns null: U+F0FF `N` exactly, or U+F0FF `R` and an absolute ws/wss URL (surrounding white space
 * allowed). Anything else that starts with U+F0FF is not a balancer message.
 */
export function readBalancerBytes(payload: Uint8Array): BalancerMessage | null {
  if (payload.length < 4 || payload[0] !== B0 || payload[1] !== B1 || payload[2] !== B2) return null;
  if (payload[3] === N) return payload.length === 4 ? { kind: 'balancer' } : null;
  return payload[3] === R ? fromText(utf8Decode(payload)) : null;
}

/**
 * Reads a captured frame as a balancer message (text or binary payload), or returns null. Cheap for
 * non-balancer frames: only the first bytes are looked at unless the marker matches.
 */
export function readBalancer(frame: Pick<CapturedFrame, 'opcode' | 'data'>): BalancerMessage | null {
  if (frame.opcode === 1) {
    return frame.data.startsWith(MARK) ? fromText(frame.data) : null;
  }
  // Binary: decode only the first 8 base64 characters (6 bytes) to test the 4-byte marker.
  const head = base64Decode(frame.data.length < 8 ? frame.data : frame.data.slice(0, 8));
  if (!head || head.length < 4 || head[0] !== B0 || head[1] !== B1 || head[2] !== B2) return null;
  if (head[3] !== N && head[3] !== R) return null;
  const all = frame.data.length < 8 ? head : base64Decode(frame.data);
  return all ? readBalancerBytes(all) : null;
}

/** The text payload of a balancer redirect to `url` (for tests, the reference server and replays). */
export function balancerRedirectText(url: string): string {
  return `${MARK}R${url}`;
}

/** The text payload of a balancer "no redirect" message. */
export const BALANCER_NOTICE = `${MARK}N`;

/** The payload of a balancer "no redirect" message as gateways send it (binary, `EF 83 BF 4E`). */
export function balancerNoticeBytes(): Uint8Array {
  return new Uint8Array([B0, B1, B2, N]);
}

/** The payload of a balancer redirect to `url` as gateways send it (binary, `EF 83 BF 52` + URL). */
export function balancerRedirectBytes(url: string): Uint8Array {
  return utf8Encode(balancerRedirectText(url));
}
