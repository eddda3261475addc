import { describe, expect, it } from 'vitest';
import { memoryPortPair } from '../../../src/messaging/ports';
import { envelope, isEnvelope } from '../../../src/messaging/messages';
import { settle } from '../background/memory-store';

describe('memoryPortPair', () => {
  it('delivers JSON copies asynchronously, both ways, and reports disconnects to the peer', async () => {
    const [a, b] = memoryPortPair('x', { tab: { id: 3 } });
    const atB: unknown[] = [];
    const atA: unknown[] = [];
    let bGone = 0;
    b.onMessage.addListener((m) => atB.push(m));
    a.onMessage.addListener((m) => atA.push(m));
    b.onDisconnect.addListener(() => bGone++);
    a.postMessage({ buf: new Uint8Array([1]), n: 1 });
    b.postMessage('pong');
    expect(atB).toEqual([]);
    await settle();
    expect(atB).toEqual([{ buf: { '0': 1 }, n: 1 }]);
    expect(atA).toEqual(['pong']);
    expect(b.sender?.tab?.id).toBe(3);
    a.disconnect();
    await settle();
    expect(bGone).toBe(1);
    expect(() => a.postMessage(1)).toThrow(/disconnected/);
  });
});

describe('isEnvelope', () => {
  it('accepts envelopes and rejects look-alikes', () => {
    expect(isEnvelope(envelope('batch', {}))).toBe(true);
    expect(isEnvelope({ source: 'other', v: 1, kind: 'batch', payload: {} })).toBe(false);
    expect(isEnvelope({ source: 'khp-inspector', v: '1', kind: 'batch', payload: {} })).toBe(false);
    expect(isEnvelope({ source: 'khp-inspector', v: 1, kind: 'batch' })).toBe(false);
    expect(isEnvelope(null)).toBe(false);
    expect(isEnvelope('khp-inspector')).toBe(false);
  });
});
