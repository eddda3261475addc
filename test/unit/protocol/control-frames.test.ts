import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../src/protocol/bytes';
import {
  controlKind,
  extendedPing,
  extendedPong,
  grantedIdleTimeoutMs,
  grantedPrefix,
  prefixBytes,
} from '../../../src/protocol/control-frames';
import { decodeSocket } from '../../../src/protocol/decoder';
import { parseExtensionsHeader } from '../../../src/protocol/extensions';
import { PING_PREFIX, gatewayExchange } from './decoder-fixtures';

const P = new Uint8Array([1, 1, 1, 2]);
const bytes = (...b: number[]) => new Uint8Array(b);

describe('control frames', () => {
  it('reads escape, ping, pong, other control frames and data', () => {
    expect(controlKind(bytes(1, 1, 1, 2), P)).toBe('escape');
    expect(controlKind(bytes(1, 1, 1, 2, 9, 0), P)).toBe('ping');
    expect(controlKind(bytes(1, 1, 1, 2, 0x0a, 0), P)).toBe('pong');
    expect(controlKind(bytes(1, 1, 1, 2, 0x7f), P)).toBe('control');
    expect(controlKind(bytes(1, 1, 1, 3, 9, 0), P)).toBeNull();
    expect(controlKind(bytes(1, 1, 1), P)).toBeNull();
    expect(controlKind(utf8Encode('hello'), P)).toBeNull();
  });

  // The copies differed: the client and the server answered only prefix + 09 00 exactly, the decoder
  // labelled anything starting with prefix + 09 00 a ping. A ping is its opcode and a zero length; a
  // longer message is some other control frame, and answering it with a pong would be wrong.
  it('takes only prefix + 09 00 exactly as a ping (and 0A 00 as a pong)', () => {
    expect(controlKind(bytes(1, 1, 1, 2, 9, 0, 0x41), P)).toBe('control');
    expect(controlKind(bytes(1, 1, 1, 2, 0x0a, 0, 0), P)).toBe('control');
    // Only the first 6 bytes at hand, the payload being longer.
    expect(controlKind(bytes(1, 1, 1, 2, 9, 0), P, 9)).toBe('control');
    expect(controlKind(bytes(1, 1, 1, 2, 9, 0), P, 6)).toBe('ping');
  });

  it('labels a longer message that starts like a ping as a control frame in the decoder', () => {
    const conn = decodeSocket(
      gatewayExchange()
        .recvText(`${PING_PREFIX}\x09\x00`)
        .recvText(`${PING_PREFIX}\x09\x00more`)
        .recvText(`${PING_PREFIX}\x0a\x00!`)
        .build(),
    );
    expect(conn.roles.slice(5)).toEqual(['ping', 'control', 'control']);
  });

  // The client's copy assumed 01010102 whenever ping-pong was granted; the decoder read the prefix the
  // server granted. The prefix is the grant's parameter (guide: `name; XXXXXXXX`).
  it('reads the granted prefix and idle timeout', () => {
    const granted = parseExtensionsHeader([
      'x-kaazing-ping-pong; 0A0b0C0d',
      'X-Kaazing-Idle-Timeout; timeout=5000',
    ]);
    expect(grantedPrefix(granted, 'x-kaazing-ping-pong')).toEqual(bytes(10, 11, 12, 13));
    expect(grantedIdleTimeoutMs(granted)).toBe(5000);
    expect(grantedPrefix(parseExtensionsHeader('x-kaazing-ping-pong'), 'x-kaazing-ping-pong')).toBeNull();
    expect(grantedIdleTimeoutMs(parseExtensionsHeader('x-kaazing-idle-timeout; timeout=x'))).toBe(0);
  });

  it('writes pings and pongs and reads prefixes', () => {
    expect(extendedPing(P)).toEqual(bytes(1, 1, 1, 2, 9, 0));
    expect(extendedPong(P)).toEqual(bytes(1, 1, 1, 2, 0x0a, 0));
    expect(prefixBytes('01010102')).toEqual(P);
    expect(prefixBytes('0101010')).toBeNull();
    expect(prefixBytes('0101010g')).toBeNull();
  });
});
