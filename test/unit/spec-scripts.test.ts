/**
 * The protocol's own test vectors (test/fixtures/spec-scripts.ts): every k3po `specification/httpx`
 * script, both sides, and the gateway's `.kl=Y` scripts decode as the script says, from a Chrome HAR
 * (no close events) and from a capture record with the script's close. The stored `spec/*.har` files
 * are what the generator builds, so `khp-inspect decode test/fixtures/spec/<name>.har` shows a user
 * the same thing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDecode } from '../../src/cli/decode';
import { importHar } from '../../src/protocol/har';
import { decodeCapture, decodeSocket } from '../../src/protocol/index';
import { fixtureText } from '../fixtures/har-writer';
import {
  SPEC_SCRIPTS,
  buildSpecFixtures,
  payloadBytes,
  scriptCapture,
  scriptHar,
  type ExpectedDecode,
  type SpecScript,
} from '../fixtures/spec-scripts';
import { normalise, summarise } from '../fixtures/summarise';

const DIR = new URL('../fixtures/spec/', import.meta.url);

/** The expectation for one side and form: the capture's, with the side's and the HAR's overrides. */
function expectedFor(script: SpecScript, side: string, form: 'capture' | 'har'): ExpectedDecode {
  const har = form === 'har' ? script.har : undefined;
  const server = side === 'server' ? script.serverSide : undefined;
  return {
    connections: script.expected.connections.map((c, i) => ({
      ...c,
      ...(server?.[i] ?? {}),
      ...(har?.connections?.[i] ?? {}),
    })),
    chains: har?.chains ?? script.expected.chains,
  };
}

describe('spec script vectors', () => {
  it('covers every k3po specification/httpx script pair and the gateway scripts the guide lists', () => {
    const k3po = Object.values(SPEC_SCRIPTS).filter((s) => s.source.startsWith('k3po/'));
    expect(k3po).toHaveLength(14);
    for (const s of k3po) expect(s.server, s.source).toBeDefined();
    expect(Object.keys(SPEC_SCRIPTS).filter((n) => n.startsWith('gateway.'))).toHaveLength(3);
  });

  for (const [name, script] of Object.entries(SPEC_SCRIPTS)) {
    const sides = { client: script.client, ...(script.server ? { server: script.server } : {}) };
    for (const [side, sockets] of Object.entries(sides)) {
      describe(`${name} (${side} side)`, () => {
        it('carries payloads of the lengths the script declares', () => {
          for (const socket of sockets) {
            for (const m of socket.messages) {
              expect(payloadBytes(m).length, JSON.stringify(m.payload).slice(0, 40)).toBe(
                m.declared + (m.extra ?? 0),
              );
            }
          }
        });

        it('decodes from a capture with the script’s close', () => {
          const result = decodeCapture(scriptCapture(sockets));
          expect(summarise(result)).toEqual(normalise(expectedFor(script, side, 'capture')));
        });

        it('reads each response when its message ends, live, before any close', () => {
          // Live: no close and no end of capture yet. A response without Content-Length on a socket
          // without .kl=Y is complete at the end of its message (the 200 and 302 scripts).
          const live = scriptCapture(sockets).map((socket) => {
            const { close: _close, ...open } = socket;
            return decodeSocket(open, { live: true });
          });
          const expected = expectedFor(script, side, 'capture');
          expect(live.map((c) => c.rounds.map((r) => [r.response?.status ?? null, r.action]))).toEqual(
            expected.connections.map((c) => c.rounds),
          );
          expect(live.map((c) => c.redirectTo)).toEqual(expected.connections.map((c) => c.redirectTo));
        });

        it('decodes from a Chrome HAR, which has no close events', () => {
          const { sockets: imported, warnings } = importHar(scriptHar(sockets));
          expect(warnings).toEqual([]);
          expect(summarise(decodeCapture(imported))).toEqual(normalise(expectedFor(script, side, 'har')));
        });
      });
    }
  }

  it('stores exactly what the generator builds, one HAR per script', () => {
    const built = buildSpecFixtures();
    const stored = readdirSync(DIR)
      .filter((f) => f.endsWith('.har'))
      .map((f) => f.slice(0, -'.har'.length))
      .sort();
    expect(stored).toEqual(Object.keys(SPEC_SCRIPTS).sort());
    for (const name of stored) {
      expect(readFileSync(new URL(`${name}.har`, DIR), 'utf8'), name).toBe(fixtureText(built[name]));
    }
  });

  it('khp-inspect decode shows the spec 302 as a redirect chain to its Location', async () => {
    let out = '';
    const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } };
    const file = fileURLToPath(new URL('extended.handshake.response.code.302.har', DIR));
    expect(await runDecode([file], io, {})).toBe(0);
    expect(out).toMatch(/Chain 1: 2 connections/);
    expect(out).toMatch(/← 302 Found \(redirect\)/);
    expect(out).toMatch(/outcome: redirected → ws:\/\/localhost:8090\/path/);
    expect(out).toMatch(/\[2\] ws:\/\/localhost:8090\/path/);
  });
});
