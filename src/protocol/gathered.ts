/**
 * Reads an HTTP message of the extended handshake from the WebSocket messages that have carried it so
 * far, for a side that acts on it (the client, the reference server). The HTTP/1.1 parser treats its
 * input as the whole message; here "not finished yet" (`TRUNCATED`) means "wait for more".
 *
 * Where a response ends: with the empty terminator when one follows (`khp.ts`), else where the HTTP
 * message ends (guide, "The empty-frame terminator": servers reached without `.kl=Y` send none). A
 * response without Content-Length has then no end of its own: its body runs to the end of its
 * messages (RFC 9112 6.3), which `bodyRunsToEnd` tells.
 */
import { getHeader, parseHttpRequest, parseHttpResponse } from './http1';
import type { HttpRequestMessage, HttpResponseMessage } from './http1-types';

export type Gathered<T> =
  | { status: 'complete'; message: T }
  | { status: 'incomplete'; expected: string }
  | { status: 'error'; code: string; message: string };

function read<T>(
  result:
    | { status: 'complete'; message: T }
    | { status: 'incomplete'; expected: string }
    | { status: 'error'; error: { code: string; message: string; expected: string } },
): Gathered<T> {
  if (result.status === 'complete') return { status: 'complete', message: result.message };
  if (result.status === 'incomplete') return { status: 'incomplete', expected: result.expected };
  if (result.error.code === 'TRUNCATED') return { status: 'incomplete', expected: result.error.expected };
  return { status: 'error', code: result.error.code, message: result.error.message };
}

/** The response in `chunks`, if complete. */
export function gatherResponse(chunks: Uint8Array[]): Gathered<HttpResponseMessage> {
  return read(parseHttpResponse(chunks));
}

/** The request in `chunks`, if complete. */
export function gatherRequest(chunks: Uint8Array[], maxHeaderBytes?: number): Gathered<HttpRequestMessage> {
  return read(parseHttpRequest(chunks, maxHeaderBytes === undefined ? {} : { maxHeaderBytes }));
}

/**
 * True when a response's body runs to the end of its messages: no Content-Length, and a status that
 * has a body (RFC 9112 6.3: 1xx, 204 and 304 end at the empty line after the header section).
 */
export function bodyRunsToEnd(msg: HttpResponseMessage): boolean {
  const s = msg.status;
  if ((s >= 100 && s < 200) || s === 204 || s === 304) return false;
  return getHeader(msg.headers, 'content-length') === undefined;
}
