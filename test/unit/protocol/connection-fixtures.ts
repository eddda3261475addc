/**
 * Decoded connections for the redirect-chain tests: a KHP socket with only what chains look at
 * (id, URL, start time, redirect) filled in meaningfully.
 */
import type { Connection } from '../../../src/protocol/model';

/** An open KHP connection at `url` started at `startedAt`; `more` overrides any field. */
export function khpConnection(
  id: string,
  url: string,
  startedAt: number,
  more: Partial<Connection> = {},
): Connection {
  return {
    id,
    url,
    requestedProtocols: ['x-kaazing-handshake'],
    protocol: 'x-kaazing-handshake',
    khp: true,
    openingExtensions: [],
    requestedExtensions: [],
    extensions: [],
    extendedProtocols: [],
    rounds: [],
    outcome: 'open',
    redirectTo: null,
    redirectKind: null,
    findings: [],
    roles: [],
    timeline: [],
    startedAt,
    endedAt: startedAt,
    frameCount: 0,
    close: null,
    kl: url.includes('.kl=Y'),
    ...more,
  };
}

/** The fields of a connection that was redirected to `to` (closed cleanly afterwards). */
export function redirectedTo(to: string, kind: 'status' | 'balancer' = 'status'): Partial<Connection> {
  return {
    outcome: 'redirected',
    redirectTo: to,
    redirectKind: kind,
    close: { code: 1000, reason: '', wasClean: true },
  };
}
