import { describe, expect, it } from 'vitest';
import type { CapturedSocket } from '../../../src/protocol/capture';
import { readCaptureFile, writeCaptureFile } from '../../../src/protocol/capture-file';
import { applyEvents, createCaptureState, socketsToEvents } from '../../../src/protocol/capture-store';
import { decodeSocket } from '../../../src/protocol/decoder';
import { redactSocket } from '../../../src/protocol/redact';

const worker = { kind: 'dedicated' as const, url: 'https://app.test/khp-worker.js?token=s3cret' };

describe("a socket's worker", () => {
  const state = createCaptureState();
  applyEvents(state, [
    {
      type: 'create',
      socketId: 'w:1',
      time: 1,
      url: 'wss://gw.test/',
      protocols: [],
      pageUrl: 'https://app.test/',
      worker,
    },
    { type: 'create', socketId: 'p:1', time: 2, url: 'wss://gw.test/', protocols: [] },
  ]);
  const [inWorker, inPage] = [state.byId.get('w:1')!, state.byId.get('p:1')!];

  it('is kept by the store and given back as events', () => {
    expect(inWorker.worker).toEqual(worker);
    expect(inPage.worker).toBeUndefined();
    expect(socketsToEvents([inWorker])[0]).toMatchObject({ type: 'create', worker });
  });

  it('reaches the decoded connection and its first step', () => {
    const c = decodeSocket(inWorker);
    expect(c.worker).toEqual(worker);
    expect(c.timeline[0]!.label).toBe(`new WebSocket(wss://gw.test/) in the dedicated worker ${worker.url}`);
    expect(decodeSocket(inPage).worker).toBeUndefined();
  });

  it('survives a capture file, its URL redacted like every URL', () => {
    const back: CapturedSocket[] = readCaptureFile(JSON.parse(JSON.stringify(writeCaptureFile([inWorker]))));
    expect(back[0]!.worker?.kind).toBe('dedicated');
    expect(back[0]!.worker?.url).not.toContain('s3cret');
    expect(redactSocket(inWorker).worker?.url).not.toContain('s3cret');
    expect(
      readCaptureFile(JSON.parse(JSON.stringify(writeCaptureFile([inWorker], { redact: false }))))[0]!.worker,
    ).toEqual(worker);
  });
});
