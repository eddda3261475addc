/**
 * The protocol services the panel uses, as one interface. The default implementation wires the
 * pure core (`core.ts`); tests may pass a stand-in. Keeping the seam here means the store never
 * imports a decoder module directly.
 */
import type { CapturedFrame, CapturedSocket, CloseInfo, WorkerOrigin } from '../../protocol/capture';
import type { Chain, Connection, OpeningHandshake, Severity } from '../../protocol/model';

/** An incremental decoder for one socket (fed as events arrive). */
export interface IncrementalDecoder {
  open(time: number, protocol: string, extensions: string): void;
  frame(frame: CapturedFrame): void;
  close(info: CloseInfo): void;
  error(time: number, message?: string): void;
  dropped(frames: number, bytes: number): void;
  /** The capture ended (an imported file): what was still being read ends with it. */
  end(): void;
  snapshot(): Connection;
}

/** What a rule id means, for the Findings view. */
export interface RuleInfo {
  severity: Severity;
  title: string;
  spec: string;
  explain: string;
}

/** Where an HTTP message inside a frame stopped parsing. */
export interface HttpParseError {
  code: string;
  offset: number;
  expected?: string;
  message: string;
}

/** The result of reading a dropped or picked file. */
export type ImportResult =
  { ok: true; sockets: CapturedSocket[]; warnings: string[]; kind: string } | { ok: false; error: string };

/** Everything the panel asks of the protocol core. */
export interface PanelCore {
  createDecoder(meta: {
    id: string;
    url: string;
    requestedProtocols: string[];
    createdAt: number;
    replayOf?: string;
    /** The network's view of the opening handshake (its headers take precedence). */
    network?: OpeningHandshake;
    networkOnly?: boolean;
    worker?: WorkerOrigin;
  }): IncrementalDecoder;
  buildChains(connections: Connection[]): Chain[];
  rule(id: string): RuleInfo | undefined;
  /** Parses a handshake payload only to locate where it broke; null when it parses. */
  parseError(kind: 'request' | 'response', bytes: Uint8Array): HttpParseError | null;
  importFile(json: unknown): ImportResult;
  exportHar(sockets: CapturedSocket[], redact: boolean): unknown;
  exportCapture(sockets: CapturedSocket[], redact: boolean): unknown;
}
