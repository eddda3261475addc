/**
 * The pure core's public surface: capture and decoded models, the HTTP/1.1 parser, the status-code
 * table, the KHP decoder, redirect chains, the findings catalogue and their helpers.
 */
import type { CapturedSocket } from './capture';
import { buildChains, sortByCreation } from './chains';
import { decodeSocket } from './decoder';
import type { DecoderOptions } from './decoder';
import type { DecodeResult } from './model';

export * from './model';
export * from './capture';
export * from './bytes';
export * from './http1';
export * from './status-codes';
export * from './decoder';
export * from './chains';
export * from './rules';
export * from './extensions';
export * from './urls';
export * from './balancer';
export * from './khp';
export * from './control-frames';
export * from './gathered';

/** Decodes every socket of a capture: connections sorted by creation time (stable), then chains. */
export function decodeCapture(sockets: CapturedSocket[], options?: DecoderOptions): DecodeResult {
  const connections = sortByCreation(sockets.map((socket) => decodeSocket(socket, options)));
  return { connections, chains: buildChains(connections) };
}
