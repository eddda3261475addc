/**
 * Reads HTTP messages gathered from WebSocket messages so far. The project's HTTP/1.1 parser treats
 * its input as the whole message; here "not finished yet" (`TRUNCATED`) means "wait for more".
 * A response without Content-Length ends where its messages end (guide, "The empty-frame
 * terminator": servers without `.kl=Y` end the response where the HTTP message ends).
 */
import { getHeader, parseHttpRequest, parseHttpResponse } from '../protocol/http1';
import type { HttpRequestMessage, HttpResponseMessage } from '../protocol/http1-types';

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

/** True when a response's body runs to the end of its messages (no Content-Length, a status with a body). */
export function bodyRunsToEnd(msg: HttpResponseMessage): boolean {
  const s = msg.status;
  if ((s >= 100 && s < 200) || s === 204 || s === 304) return false;
  return getHeader(msg.headers, 'content-length') === undefined;
}
