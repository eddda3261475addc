// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ExtensionsTab } from '../../../src/panel/components/ExtensionsTab';
import { NetworkOpening } from '../../../src/panel/components/NetworkOpening';
import { decodeSocket } from '../../../src/protocol/decoder';
import type { OpeningHandshake } from '../../../src/protocol/model';

afterEach(cleanup);

const HOSTILE = '<img src=x onerror="globalThis.pwned=1"><b>bold</b>';

/** An opening handshake whose every page-controlled string is markup. */
const opening: OpeningHandshake = {
  source: 'network',
  method: 'GET',
  url: `ws://h.test/${HOSTILE}`,
  httpVersion: 'HTTP/1.1',
  requestHeaders: [
    ['Sec-WebSocket-Protocol', 'x-kaazing-handshake'],
    ['Sec-WebSocket-Extensions', `permessage-deflate, ${HOSTILE}`],
    [HOSTILE, HOSTILE],
  ],
  status: 101,
  statusText: HOSTILE,
  responseHeaders: [
    ['Sec-WebSocket-Protocol', 'x-kaazing-handshake'],
    ['X-Server', HOSTILE],
  ],
};

describe('the network view renders page data as text only', () => {
  it('shows the headers marked from the network, with markup as literal text', () => {
    const { container } = render(<NetworkOpening opening={opening} />);
    expect(container.querySelector('img, b, script')).toBeNull();
    expect(container.querySelector('h2')!.textContent).toBe('Opening handshake from the network');
    expect(container.textContent).toContain(HOSTILE);
    const rows = container.querySelectorAll('table[aria-label="Opening response headers"] tbody tr');
    expect(Array.from(rows, (r) => r.querySelector('td')!.textContent)).toEqual([
      'x-kaazing-handshake',
      HOSTILE,
    ]);
  });

  it("lists the opening handshake's requested extensions from the network in the Extensions tab", () => {
    const c = decodeSocket(
      {
        id: 's',
        url: 'ws://h.test/x',
        requestedProtocols: ['x-kaazing-handshake'],
        createdAt: 0,
        frames: [],
      },
      {},
    );
    const { container } = render(<ExtensionsTab connection={{ ...c, opening }} />);
    expect(container.querySelector('img, b, script')).toBeNull();
    const titles = Array.from(container.querySelectorAll('h2'), (h) => h.textContent);
    expect(titles).toContain('Requested in the opening handshake from the network');
    expect(container.textContent).toContain('permessage-deflate');
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });
});
