import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import type { CapturedFrame, CapturedSocket } from '../../../src/protocol/capture';
import { ConnectionDecoder } from '../../../src/protocol/decoder';
import type { Connection, FrameRole } from '../../../src/protocol/model';
import { RULES } from '../../../src/protocol/rules';
import {
  GW_URL,
  KHP,
  PLAIN_URL,
  SocketBuilder,
  gatewayExchange,
  redirectResponse,
  request,
  response101,
  response401,
} from './decoder-fixtures';

const ROLES: ReadonlySet<FrameRole> = new Set<FrameRole>([
  'handshake-request',
  'handshake-response',
  'terminator',
  'balancer',
  'balancer-redirect',
  'ping',
  'pong',
  'escape',
  'control',
  'data',
  'unexpected',
]);
const OUTCOMES = new Set(['open', 'failed', 'redirected', 'pending', 'not-khp']);

/** Decodes event by event, taking a snapshot after every frame (as the panel does). */
function decodeLive(socket: CapturedSocket, cap: number): { conn: Connection; peak: number } {
  const d = new ConnectionDecoder(socket, { maxHandshakeBytes: cap });
  if (socket.protocol !== undefined)
    d.open(socket.openedAt ?? socket.createdAt, socket.protocol, socket.extensions ?? '');
  for (const f of socket.frames) {
    d.frame(f);
    d.snapshot();
  }
  if (socket.close) d.close(socket.close);
  return { conn: d.snapshot(), peak: d.peakHandshakeBytes };
}

function checkInvariants(socket: CapturedSocket, cap: number): void {
  const { conn, peak } = decodeLive(socket, cap);
  expect(conn.roles).toHaveLength(socket.frames.length);
  expect(conn.frameCount).toBe(socket.frames.length);
  for (const r of conn.roles) expect(ROLES.has(r)).toBe(true);
  expect(OUTCOMES.has(conn.outcome)).toBe(true);
  expect(peak).toBeLessThanOrEqual(cap);
  for (const f of conn.findings) {
    expect(Object.keys(RULES)).toContain(f.rule);
    if (f.frame !== undefined) expect(f.frame).toBeLessThan(Math.max(1, socket.frames.length));
    if (f.round !== undefined) expect(f.round).toBeLessThan(conn.rounds.length);
  }
  for (const round of conn.rounds) {
    for (const part of [round.request, round.response]) {
      if (part) for (const i of part.frames) expect(i).toBeLessThan(socket.frames.length);
    }
  }
}

const payload = fc.oneof(
  fc.constantFrom(
    '',
    request(),
    response101(),
    response401(),
    redirectResponse(302, 'http://b/echo'),
    '\uF0FFN',
    '\x01\x01\x01\x02\x09\x00',
    '\x01\x01\x01\x02',
  ),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 60 }).map((b) => new TextDecoder().decode(b)),
);

const frameArb: fc.Arbitrary<CapturedFrame> = fc
  .record({
    dir: fc.constantFrom('send' as const, 'receive' as const),
    opcode: fc.constantFrom(1 as const, 2 as const),
    text: payload,
    bytes: fc.uint8Array({ maxLength: 40 }),
    raw: fc.boolean(),
  })
  .map(({ dir, opcode, text, bytes, raw }) => {
    if (opcode === 2) {
      const b = raw ? bytes : utf8Encode(text);
      return { dir, time: 0, opcode, data: base64Encode(b), size: b.length };
    }
    return { dir, time: 0, opcode, data: text, size: utf8Encode(text).length };
  });

function socketOf(
  frames: CapturedFrame[],
  opts: { url?: string; protocol?: string; close?: boolean; protocols?: string[] } = {},
): CapturedSocket {
  return {
    id: 'p',
    url: opts.url ?? GW_URL,
    requestedProtocols: opts.protocols ?? [KHP],
    createdAt: 0,
    openedAt: 1,
    protocol: opts.protocol ?? KHP,
    extensions: '',
    frames: frames.map((f, i) => ({ ...f, time: 2 + i })),
    ...(opts.close ? { close: { time: 3 + frames.length, code: 1006, reason: '', wasClean: false } } : {}),
  };
}

describe('decoder properties', () => {
  it('random frames never throw, always get a role, stay within the cap', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 25 }),
        fc.boolean(),
        fc.constantFrom(KHP, '', 'other'),
        fc.integer({ min: 0, max: 400 }),
        (frames, close, protocol, cap) => {
          checkInvariants(socketOf(frames, { close, protocol, url: close ? GW_URL : PLAIN_URL }), cap);
        },
      ),
      { numRuns: 400 },
    );
  });

  /** Valid exchanges, then cut, garbled, dropped, duplicated or reordered. */
  const validExchanges = [
    () => gatewayExchange().recvText('\x01\x01\x01\x02\x09\x00').build().frames,
    () => gatewayExchange({ binaryRequest: true }).build().frames,
    () =>
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary(response401())
        .terminator()
        .sendText(request({ extra: ['Authorization: x'] }))
        .recvBinary(response101())
        .terminator()
        .build().frames,
    () =>
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary(redirectResponse(302, 'http://b/echo'))
        .terminator()
        .build().frames,
  ];

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), keep: fc.nat(400) }),
    fc.record({
      kind: fc.constant('garble' as const),
      at: fc.nat(),
      pos: fc.nat(400),
      byte: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    fc.record({ kind: fc.constant('flip-dir' as const), at: fc.nat() }),
  );

  function apply(
    frames: CapturedFrame[],
    m: { kind: string; at: number; keep?: number; pos?: number; byte?: number; with?: number },
  ): CapturedFrame[] {
    if (frames.length === 0) return frames;
    const out = frames.slice();
    const i = m.at % out.length;
    const f = out[i]!;
    const bytes = f.opcode === 1 ? utf8Encode(f.data) : (base64Decode(f.data) ?? new Uint8Array(0));
    const rebuild = (b: Uint8Array): CapturedFrame => ({
      ...f,
      opcode: 2,
      data: base64Encode(b),
      size: b.length,
    });
    switch (m.kind) {
      case 'truncate':
        out[i] = rebuild(bytes.subarray(0, (m.keep ?? 0) % (bytes.length + 1)));
        break;
      case 'garble': {
        const b = bytes.slice();
        if (b.length > 0) b[(m.pos ?? 0) % b.length] = m.byte ?? 0;
        out[i] = rebuild(b);
        break;
      }
      case 'drop':
        out.splice(i, 1);
        break;
      case 'duplicate':
        out.splice(i, 0, f);
        break;
      case 'swap': {
        const j = (m.with ?? 0) % out.length;
        out[i] = out[j]!;
        out[j] = f;
        break;
      }
      default:
        out[i] = { ...f, dir: f.dir === 'send' ? 'receive' : 'send' };
    }
    return out;
  }

  it('mutated valid handshakes never throw and keep every invariant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: validExchanges.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2048 }),
        (which, mutations, close, cap) => {
          let frames = validExchanges[which]!();
          for (const m of mutations) frames = apply(frames, m);
          checkInvariants(socketOf(frames, { close }), cap);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never gathers more than the cap, whatever the message size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 8 }), (cap, parts) => {
        const big = response101().padEnd(3000, 'x');
        const b = new SocketBuilder().open().sendText(request());
        const size = Math.ceil(big.length / parts);
        for (let i = 0; i < big.length; i += size) b.recvBinary(big.slice(i, i + size));
        const { conn, peak } = decodeLive(b.terminator().build(), cap);
        expect(peak).toBeLessThanOrEqual(cap);
        if (utf8Encode(request()).length > cap)
          expect(conn.findings.map((f) => f.rule)).toContain('handshake-too-large');
      }),
      { numRuns: 200 },
    );
  });
});
