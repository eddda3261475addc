/**
 * Control frames of application-class extensions (guide, "Application-class extensions after the
 * handshake"). An extension granted as `name; XXXXXXXX` injects control frames marked by that 4-byte
 * prefix: after the handshake a text message whose payload starts with it is a control frame, not
 * application data, and a message of exactly the prefix is an escape (the next message is data even if
 * it starts with the prefix). Binary messages are never control frames and never escaped.
 *
 * `x-kaazing-ping-pong; 01010102`: an extended ping is the prefix + `09 00`, a pong the prefix +
 * `0A 00`, exactly (opcode, then a zero length); any other prefixed message is some other control frame.
 * `x-kaazing-idle-timeout; timeout=<ms>`: the client closes after `<ms>` with nothing received.
 */
import type { Extension } from './model';

/** The extension that injects extended ping and pong frames. */
export const PING_PONG_EXTENSION = 'x-kaazing-ping-pong';
/** The extension that grants an idle timeout (`timeout=<ms>`). */
export const IDLE_TIMEOUT_EXTENSION = 'x-kaazing-idle-timeout';
/** The prefix gateways grant with ping-pong (`x-kaazing-ping-pong; 01010102`). */
export const PING_PONG_PREFIX_HEX = '01010102';

const PING = 0x09;
const PONG = 0x0a;

/** What a prefixed text message is. */
export type ControlKind = 'escape' | 'ping' | 'pong' | 'control';

/**
 * What a text message is under a control prefix, or null when it is data (it does not start with the
 * prefix). `head` is the payload, or at least its first 6 bytes; `length` is the whole payload's size
 * in bytes (default `head.length`).
 */
export function controlKind(head: Uint8Array, prefix: Uint8Array, length = head.length): ControlKind | null {
  if (head.length < 4 || head[0] !== prefix[0] || head[1] !== prefix[1]) return null;
  if (head[2] !== prefix[2] || head[3] !== prefix[3]) return null;
  if (length === 4) return 'escape';
  if (length === 6 && head[5] === 0x00) {
    if (head[4] === PING) return 'ping';
    if (head[4] === PONG) return 'pong';
  }
  return 'control';
}

/** The 4 bytes of a prefix written as 8 hex digits (`01010102`), or null when it is not one. */
export function prefixBytes(hex: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** An extended ping under `prefix`. */
export function extendedPing(prefix: Uint8Array): Uint8Array {
  return new Uint8Array([...prefix, PING, 0x00]);
}

/** An extended pong under `prefix`. */
export function extendedPong(prefix: Uint8Array): Uint8Array {
  return new Uint8Array([...prefix, PONG, 0x00]);
}

function find(extensions: readonly Extension[], name: string): Extension | undefined {
  return extensions.find((e) => e.name.toLowerCase() === name);
}

/** The control prefix granted with extension `name` (lower case), or null when none was. */
export function grantedPrefix(extensions: readonly Extension[], name: string): Uint8Array | null {
  const prefix = find(extensions, name)?.controlPrefix;
  return prefix === undefined ? null : prefixBytes(prefix);
}

/** The timeout granted with `x-kaazing-idle-timeout` in milliseconds, or 0 when none was. */
export function grantedIdleTimeoutMs(extensions: readonly Extension[]): number {
  const timeout = find(extensions, IDLE_TIMEOUT_EXTENSION)?.params.timeout;
  return typeof timeout === 'number' && timeout > 0 ? timeout : 0;
}
