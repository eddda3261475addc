// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { blobWorkersAllowed } from '../../../src/hook/csp';
import { captureNatives, type Natives } from '../../../src/hook/natives';

/** A fresh document (the hook remembers a document once a meta denied) with `metas` in its head. */
function page(metas: Record<string, string | null>[] = [], where: 'head' | 'body' = 'head') {
  const doc = document.implementation.createHTMLDocument('t');
  for (const attrs of metas) {
    const meta = doc.createElement('meta');
    for (const [name, value] of Object.entries(attrs)) if (value !== null) meta.setAttribute(name, value);
    doc[where].appendChild(meta);
  }
  const n: Natives = {
    ...captureNatives(window as unknown as typeof globalThis),
    document: () => doc,
    // happy-dom's documents do not inherit from `window.Document.prototype`, as a browser's do.
    querySelectorAll: holder(doc, 'querySelectorAll').value as Document['querySelectorAll'],
  };
  return { doc, n };
}

/** The own property `key` of the first object on `o`'s prototype chain that has one. */
function holder(o: object, key: string): PropertyDescriptor & { target: object } {
  for (let p: object | null = o; p; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d) return { ...d, target: p };
  }
  throw new Error(`no ${key}`);
}

const csp = (content: string | null, equiv = 'Content-Security-Policy') => ({
  'http-equiv': equiv,
  content,
});

describe('blobWorkersAllowed', () => {
  it('needs the headers to allow: undefined (no answer yet) and false deny', () => {
    const { n } = page();
    expect(blobWorkersAllowed(n, undefined)).toBe(false);
    expect(blobWorkersAllowed(n, false)).toBe(false);
    expect(blobWorkersAllowed(n, true)).toBe(true);
  });

  it.each([
    ["worker-src 'self' blob:", true],
    ['worker-src blob:', false],
    ["img-src 'self'", true],
    ["worker-src 'self'", false],
    ["default-src 'self'", false],
    ["script-src 'self' blob: 'strict-dynamic'", false],
    // One serialized policy: `blob:,` is not the scheme source (a browser splitting on commas denies too).
    ["worker-src 'self' blob:, script-src 'self'", false],
  ])('reads a meta policy %j: %s', (content, allowed) => {
    expect(blobWorkersAllowed(page([csp(content)]).n, true)).toBe(allowed);
  });

  it('needs every meta policy to allow', () => {
    const both = page([csp("worker-src 'self' blob:"), csp("default-src 'self'")]);
    expect(blobWorkersAllowed(both.n, true)).toBe(false);
    const fine = page([csp("worker-src 'self' blob:"), csp("default-src blob: 'self'")]);
    expect(blobWorkersAllowed(fine.n, true)).toBe(true);
  });

  it('matches http-equiv case-insensitively and exactly; ignores other pragmas and empty content', () => {
    expect(blobWorkersAllowed(page([csp("worker-src 'none'", 'CONTENT-security-POLICY')]).n, true)).toBe(
      false,
    );
    expect(blobWorkersAllowed(page([csp("worker-src 'none'", ' Content-Security-Policy')]).n, true)).toBe(
      true,
    );
    expect(
      blobWorkersAllowed(page([csp("worker-src 'none'", 'Content-Security-Policy-Report-Only')]).n, true),
    ).toBe(true);
    expect(blobWorkersAllowed(page([csp("worker-src 'none'", 'refresh')]).n, true)).toBe(true);
    expect(blobWorkersAllowed(page([csp(null), csp('')]).n, true)).toBe(true);
  });

  it('counts a meta outside <head> too (browsers ignore it; the answer is only more cautious)', () => {
    expect(blobWorkersAllowed(page([csp("worker-src 'self'")], 'body').n, true)).toBe(false);
  });

  it('reads metas inserted later, and remembers a denying one after it is removed', () => {
    const { doc, n } = page();
    expect(blobWorkersAllowed(n, true)).toBe(true);
    const meta = doc.createElement('meta');
    meta.setAttribute('http-equiv', 'content-security-policy');
    meta.setAttribute('content', "worker-src 'self'");
    doc.head.appendChild(meta);
    expect(blobWorkersAllowed(n, true)).toBe(false);
    meta.remove();
    expect(blobWorkersAllowed(n, true)).toBe(false);
    expect(blobWorkersAllowed(page().n, true)).toBe(true); // another document
  });

  describe('after the page replaced the DOM methods', () => {
    const saved: [object, string, PropertyDescriptor][] = [];
    afterEach(() => {
      for (const [target, key, d] of saved.splice(0)) Object.defineProperty(target, key, d);
    });
    const replace = (of: object, key: string, d: PropertyDescriptor) => {
      const { target } = holder(of, key);
      saved.push([target, key, Object.getOwnPropertyDescriptor(target, key)!]);
      Object.defineProperty(target, key, { ...d, configurable: true });
    };

    it('reads through the natives captured before', () => {
      const { doc, n } = page([csp("worker-src 'self'")]);
      const list = doc.querySelectorAll('meta');
      const empty = () => doc.createDocumentFragment().querySelectorAll('meta');
      replace(doc, 'querySelectorAll', { value: empty });
      replace(doc.head, 'getAttribute', { value: () => "worker-src 'self' blob:" });
      replace(list, 'length', { get: () => 0 });
      replace(list, 'item', { value: () => null });
      expect(doc.querySelectorAll('meta').length).toBe(0);
      expect(blobWorkersAllowed(n, true)).toBe(false);
    });
  });

  it('answers false on any doubt: a native missing or throwing, no document', () => {
    const { n } = page([csp("worker-src 'self' blob:")]);
    expect(blobWorkersAllowed({ ...n, querySelectorAll: undefined }, true)).toBe(false);
    expect(blobWorkersAllowed({ ...n, getAttribute: undefined }, true)).toBe(false);
    expect(blobWorkersAllowed({ ...n, nodeListLength: () => undefined as unknown as number }, true)).toBe(
      false,
    );
    const boom = () => {
      throw new Error('no');
    };
    expect(blobWorkersAllowed({ ...n, nodeListLength: boom }, true)).toBe(false);
    expect(blobWorkersAllowed({ ...n, document: () => undefined }, true)).toBe(false);
    expect(blobWorkersAllowed(n, true)).toBe(true);
  });
});
