/** The test build's router (test-router.ts) answers test queries; the production router does not. */
import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/background/router';
import { TestRouter } from '../../../src/background/test-router';
import { envelope } from '../../../src/messaging/messages';
import { settle } from './memory-store';
import { batch, ev, world } from './router-world';

const query = (id: string, op: string, more: object = {}) => envelope('test-query', { id, op, ...more });

describe.each([
  ['the production router', Router, false],
  ['the test router', TestRouter, true],
] as const)('%s', (_name, RouterClass, answers) => {
  it(answers ? 'answers test queries' : 'ignores test queries', async () => {
    const w = world(undefined, {}, RouterClass);
    const relay = w.relayPort(7, 2);
    relay.port.postMessage(envelope('relay-hello', { docId: 'd', frameUrl: 'https://p.test/', top: true }));
    relay.port.postMessage(batch('d', 1, [ev(1)]));
    relay.port.postMessage(query('a', 'whoami'));
    relay.port.postMessage(query('b', 'state'));
    relay.port.postMessage(query('c', 'watch'));
    await settle();
    await w.router.idle();
    const replies = relay.got.filter((m) => m.kind === 'test-reply').map((m) => m.payload);
    if (!answers) {
      expect(replies).toEqual([]);
      return;
    }
    expect(replies[0]).toEqual({ id: 'a', result: { tabId: 7, frameId: 2 } });
    expect(replies[1]).toMatchObject({ id: 'b', result: { tabId: 7, seq: 1, events: [ev(1)] } });
    expect(replies[2]).toEqual({ id: 'c', result: { live: true } });
    expect(w.sent.at(-1)?.message).toMatchObject({ kind: 'hook-settings', payload: { live: true } });
  });

  it(answers ? 'accepts a panel port from a page' : 'refuses a panel port from a page', async () => {
    const w = world(undefined, {}, RouterClass);
    const p = w.panel(7, 0, 'https://p.test/');
    await settle();
    await w.router.idle();
    expect(p.refused || p.got.length === 0).toBe(!answers);
  });
});
