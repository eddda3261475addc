import { describe, expect, it } from 'vitest';
import {
  FramePolicies,
  documentUrl,
  headersAllowBlobWorkers,
  type HeadersDetails,
} from '../../../src/background/frame-policies';
import { envelope } from '../../../src/messaging/messages';
import { settle } from './memory-store';
import { world } from './router-world';

const CSP = 'Content-Security-Policy';
const CSPRO = 'Content-Security-Policy-Report-Only';

/** A document response of tab 1: `headers` as [name, value] pairs. */
const response = (
  url: string,
  headers: [string, string | undefined][] = [],
  more: Partial<HeadersDetails> = {},
): HeadersDetails => ({
  tabId: 1,
  frameId: 0,
  type: 'main_frame',
  statusCode: 200,
  url,
  responseHeaders: headers.map(([name, value]) => (value === undefined ? { name } : { name, value })),
  ...more,
});

describe('documentUrl', () => {
  it('keeps http(s) URLs without their fragment; anything else is no document URL', () => {
    expect(documentUrl('https://a.test/p?q#frag')).toBe('https://a.test/p?q');
    expect(documentUrl('HTTP://a.test/')).toBe('HTTP://a.test/');
    for (const url of [
      'about:blank',
      'about:srcdoc',
      'blob:https://a.test/1',
      'data:text/html,x',
      'file:///x',
      7,
    ])
      expect(documentUrl(url)).toBe('');
  });
});

describe('headersAllowBlobWorkers', () => {
  it('reads both headers, any case, every copy', () => {
    const of = (pairs: [string, string | undefined][]) =>
      headersAllowBlobWorkers(response('https://a.test/', pairs).responseHeaders);
    expect(of([])).toBe(true);
    expect(of([['content-type', 'text/html']])).toBe(true);
    expect(of([[CSP, "worker-src 'self' blob:"]])).toBe(true);
    expect(of([['CONTENT-SECURITY-POLICY', "worker-src 'self'"]])).toBe(false);
    expect(of([[CSPRO, "worker-src 'self'"]])).toBe(false);
    expect(
      of([
        ['content-security-policy-report-only', "default-src 'none'"],
        [CSP, "worker-src 'self' blob:"],
      ]),
    ).toBe(false);
    expect(
      of([
        [CSP, "worker-src 'self' blob:"],
        [CSP, "script-src 'self'"],
      ]),
    ).toBe(false);
    expect(
      of([
        [CSP, "worker-src 'self' blob:"],
        [CSPRO, "img-src 'none'"],
      ]),
    ).toBe(true);
    expect(of([[CSP, undefined]])).toBe(false); // bytes only (`binaryValue`)
    expect(headersAllowBlobWorkers(undefined)).toBe(true);
  });
});

describe('FramePolicies', () => {
  it('answers for the document of the frame whose response it read, fragments aside', () => {
    const f = new FramePolicies();
    f.onHeadersReceived(response('https://a.test/', [[CSP, "worker-src 'self' blob:"]]));
    f.onHeadersReceived(
      response('https://a.test/frame#x', [[CSP, "worker-src 'self'"]], { frameId: 5, type: 'sub_frame' }),
    );
    expect(f.blobWorkers(1, 0, 'https://a.test/#top')).toBe(true);
    expect(f.blobWorkers(1, 0, 'https://a.test/other')).toBe(false);
    expect(f.blobWorkers(1, 5, 'https://a.test/frame')).toBe(false);
    expect(f.blobWorkers(1, 6, 'https://a.test/')).toBe(false);
    expect(f.blobWorkers(2, 0, 'https://a.test/')).toBe(false);
    expect(f.blobWorkers(undefined, 0, 'https://a.test/')).toBe(false);
    expect(f.blobWorkers(1, undefined, 'https://a.test/')).toBe(false);
  });

  it('answers no for documents that are not http(s), and ignores requests outside tabs', () => {
    const f = new FramePolicies();
    f.onHeadersReceived(response('https://a.test/'));
    expect(f.blobWorkers(1, 0, 'about:blank')).toBe(false);
    expect(f.blobWorkers(1, 0, 'about:srcdoc')).toBe(false);
    f.onHeadersReceived(response('https://b.test/', [], { tabId: -1 }));
    expect(f.size).toBe(1);
  });

  it("replaces a frame's entry with its next response; a top-level response drops the tab's frames", () => {
    const f = new FramePolicies();
    f.onHeadersReceived(response('https://a.test/'));
    f.onHeadersReceived(response('https://a.test/f', [], { frameId: 3, type: 'sub_frame' }));
    f.onHeadersReceived(
      response('https://a.test/f', [[CSP, "default-src 'self'"]], { frameId: 3, type: 'sub_frame' }),
    );
    expect(f.blobWorkers(1, 3, 'https://a.test/f')).toBe(false);
    f.onHeadersReceived(response('https://a.test/g', [], { frameId: 3, type: 'sub_frame' }));
    expect(f.blobWorkers(1, 3, 'https://a.test/g')).toBe(true);
    expect(f.blobWorkers(1, 3, 'https://a.test/f')).toBe(false);
    f.onHeadersReceived(response('https://a.test/next'));
    expect(f.blobWorkers(1, 3, 'https://a.test/g')).toBe(false);
    expect(f.blobWorkers(1, 0, 'https://a.test/next')).toBe(true);
    expect(f.size).toBe(1);
  });

  it('forgets a frame on a 204 or 205 (no new document), and a tab when it closes', () => {
    const f = new FramePolicies();
    f.onHeadersReceived(response('https://a.test/f', [], { frameId: 3, type: 'sub_frame' }));
    f.onHeadersReceived(response('https://a.test/f', [], { frameId: 3, type: 'sub_frame', statusCode: 204 }));
    expect(f.blobWorkers(1, 3, 'https://a.test/f')).toBe(false);
    f.onHeadersReceived(response('https://a.test/'));
    f.onHeadersReceived(response('https://b.test/', [], { tabId: 2 }));
    f.onTabRemoved(1);
    expect(f.blobWorkers(1, 0, 'https://a.test/')).toBe(false);
    expect(f.blobWorkers(2, 0, 'https://b.test/')).toBe(true);
  });

  it('keeps at most maxFrames, dropping the oldest', () => {
    const f = new FramePolicies(3);
    for (let tab = 1; tab <= 5; tab++)
      f.onHeadersReceived(response(`https://a.test/${tab}`, [], { tabId: tab }));
    expect(f.size).toBe(3);
    expect(f.blobWorkers(2, 0, 'https://a.test/2')).toBe(false);
    expect(f.blobWorkers(3, 0, 'https://a.test/3')).toBe(true);
    expect(f.blobWorkers(5, 0, 'https://a.test/5')).toBe(true);
  });
});

describe('FramePolicies.answer', () => {
  it('waits for the headers of a document not known yet, and gives up after waitMs', async () => {
    const f = new FramePolicies();
    const early = f.answer(1, 0, 'https://a.test/#x', 1000);
    const other = f.answer(1, 4, 'https://a.test/f', 30);
    f.onHeadersReceived(response('https://a.test/b')); // another document: still waiting
    f.onHeadersReceived(response('https://a.test/'));
    expect(await early).toBe(true);
    expect(await other).toBe(false);
  });

  it('answers at once what it knows, and no at once for documents that are not http(s)', async () => {
    const f = new FramePolicies();
    f.onHeadersReceived(response('https://a.test/', [[CSP, "default-src 'self'"]]));
    const t0 = Date.now();
    expect(await f.answer(1, 0, 'https://a.test/', 5000)).toBe(false);
    expect(await f.answer(1, 0, 'about:blank', 5000)).toBe(false);
    expect(await f.answer(undefined, 0, 'https://a.test/', 0)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('Router: hook-policy', () => {
  it('answers a relay whose hello came before its headers once they come', async () => {
    const f = new FramePolicies();
    const w = world(undefined, { blobWorkers: (t, fr, url) => f.answer(t, fr, url, 1000) });
    const r = w.relayPort(4, 0);
    r.port.postMessage(envelope('relay-hello', { docId: 'a', frameUrl: 'https://p.test/', top: true }));
    await settle();
    expect(r.got.map((m) => m.kind)).toEqual(['hook-settings']);
    f.onHeadersReceived(response('https://p.test/', [[CSP, "worker-src 'self' blob:"]], { tabId: 4 }));
    await settle();
    expect(r.got.at(-1)).toEqual(envelope('hook-policy', { blobWorkers: true }));
  });

  it("answers each relay's hello with its document's verdict, after the hook settings", async () => {
    const f = new FramePolicies();
    const w = world(undefined, { blobWorkers: (t, fr, url) => f.blobWorkers(t, fr, url) });
    f.onHeadersReceived(response('https://p.test/', [], { tabId: 4 }));
    f.onHeadersReceived(
      response('https://p.test/f', [[CSP, "worker-src 'self'"]], { tabId: 4, frameId: 2, type: 'sub_frame' }),
    );
    const top = w.relayPort(4, 0);
    top.port.postMessage(envelope('relay-hello', { docId: 'a', frameUrl: 'https://p.test/#x', top: true }));
    const sub = w.relayPort(4, 2);
    sub.port.postMessage(envelope('relay-hello', { docId: 'b', frameUrl: 'https://p.test/f', top: false }));
    const blank = w.relayPort(4, 3);
    blank.port.postMessage(envelope('relay-hello', { docId: 'c', frameUrl: 'about:blank', top: false }));
    const moved = w.relayPort(4, 0);
    moved.port.postMessage(envelope('relay-hello', { docId: 'a', frameUrl: 'https://p.test/x', top: true }));
    await settle();
    const policy = (got: { kind: string; payload: unknown }[]) =>
      got.filter((m) => m.kind.startsWith('hook-'));
    expect(policy(top.got).map((m) => m.kind)).toEqual(['hook-settings', 'hook-policy']);
    expect(policy(top.got)[1]).toEqual(envelope('hook-policy', { blobWorkers: true }));
    expect(policy(sub.got)[1]).toEqual(envelope('hook-policy', { blobWorkers: false }));
    expect(policy(blank.got)[1]).toEqual(envelope('hook-policy', { blobWorkers: false }));
    expect(policy(moved.got)[1]).toEqual(envelope('hook-policy', { blobWorkers: false }));
  });
});
