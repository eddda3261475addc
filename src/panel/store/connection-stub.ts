/**
 * Decoded records built from a captured socket alone, before (or without) the decoder: what the
 * panel shows for a socket whose decoder failed, and the base that hand-written fixtures extend.
 */
import type { CapturedSocket } from '../../protocol/capture';
import { KHP_PROTOCOL } from '../../protocol/khp';
import type { Connection, FrameRole } from '../../protocol/model';
import { hasKl } from '../../protocol/urls';

/** A pending record of `socket` with the given frame roles: no rounds, findings or timeline. */
export function connectionStub(socket: CapturedSocket, roles: FrameRole[]): Connection {
  const end = socket.close?.time ?? socket.frames[socket.frames.length - 1]?.time ?? socket.createdAt;
  return {
    id: socket.id,
    url: socket.url,
    requestedProtocols: socket.requestedProtocols,
    protocol: socket.protocol ?? null,
    khp: socket.protocol === KHP_PROTOCOL,
    openingExtensions: [],
    requestedExtensions: [],
    extensions: [],
    extendedProtocols: [],
    rounds: [],
    outcome: 'pending',
    redirectTo: null,
    redirectKind: null,
    findings: [],
    roles,
    timeline: [],
    startedAt: socket.createdAt,
    endedAt: end,
    frameCount: socket.frames.length,
    close: socket.close
      ? { code: socket.close.code, reason: socket.close.reason, wasClean: socket.close.wasClean }
      : null,
    kl: hasKl(socket.url),
  };
}

/** A minimal decoded record for a socket whose decoder failed: every frame data, one error. */
export function fallbackConnection(socket: CapturedSocket, err: unknown): Connection {
  return {
    ...connectionStub(
      socket,
      socket.frames.map(() => 'data'),
    ),
    findings: [
      {
        severity: 'error',
        rule: 'panel-decoder-failed',
        message: `The decoder stopped on this socket: ${err instanceof Error ? err.message : String(err)}`,
        spec: '',
      },
    ],
  };
}
