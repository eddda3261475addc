/**
 * KHP's name and its empty-message terminator: the small rules every context that speaks or reads
 * KHP shares (the decoder, the client, the reference server, the replay, the panel).
 */
import { hasKl } from './urls';

/** The sub-protocol negotiated in the opening handshake (spec, "Opening WebSocket Handshake"). */
export const KHP_PROTOCOL = 'x-kaazing-handshake';

/**
 * True for the empty message that ends an extended handshake response. Spec, close conditions: the
 * client must close if "the extended handshake response does not end with an empty WebSocket binary
 * frame"; guide, "The empty-frame terminator": gateways send it as an empty binary message, or an
 * empty text message in a text-encoded session.
 */
export function isTerminator(payload: { readonly length: number }): boolean {
  return payload.length === 0;
}

/**
 * True when a gateway follows every extended response (each 401 included) with the empty terminator:
 * when the opening URL carried `.kl=Y` (guide, "The empty-frame terminator"). Without it the response
 * ends where the HTTP message ends (see `gathered.ts`).
 */
export function terminatorFollows(openingUrl: string): boolean {
  return hasKl(openingUrl);
}

/** The terminator's payload, for the side that sends it. */
export function terminatorPayload(): Uint8Array {
  return new Uint8Array(0);
}
