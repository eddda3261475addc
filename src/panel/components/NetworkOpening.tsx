import type { OpeningHandshake } from '../../protocol/model';
import { HeadersTable } from './HeadersTable';

/** The mark on everything the network witness brought: where it comes from, and that it is page data. */
export function FromNetwork() {
  return (
    <span
      class="tag from-network"
      title="From the browser's network log (DevTools' Network panel): the headers really sent and received"
    >
      from the network
    </span>
  );
}

/**
 * The opening handshake as the network saw it: the request line and headers the browser sent, and the
 * status line and headers of the answer. Page data, rendered as text only.
 */
export function NetworkOpening({ opening: o }: { opening: OpeningHandshake }) {
  const answered = o.status !== 0;
  return (
    <section class="network-opening" aria-label="Opening handshake from the network">
      <h2>
        Opening handshake <FromNetwork />
      </h2>
      <div class="http-first-line">
        <code>
          {o.method} {o.url} {o.httpVersion}
        </code>
      </div>
      <HeadersTable label="Opening request headers" headers={o.requestHeaders} />
      <div class="http-first-line">
        <code>{answered ? `${o.status} ${o.statusText}` : `No answer${o.error ? `: ${o.error}` : ''}`}</code>
      </div>
      {answered && <HeadersTable label="Opening response headers" headers={o.responseHeaders} />}
    </section>
  );
}
