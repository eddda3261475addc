/**
 * The public JSON report, version 1 (docs/json-format.md). The fields of `ReportV1` are a contract:
 * new fields may be added, existing ones are never renamed or removed. Credentials are redacted
 * unless the caller asks to see them.
 */
import type {
  Chain,
  ChainOutcome,
  Connection,
  DecodeResult,
  Extension,
  Finding,
  Header,
  Outcome,
  Round,
  Severity,
  StatusAction,
  TimelineStep,
} from './model';
import { redactHeaders, redactText, redactUrl } from './redact';

export const REPORT_VERSION = 1;

/** A finding as the report writes it. */
export interface ReportFinding {
  severity: Severity;
  rule: string;
  message: string;
  spec: string;
  frame?: number;
  round?: number;
}

export interface ReportRequest {
  method: string;
  target: string;
  headers: Header[];
  version: string;
  /** Epoch ms of the (last) message that carried it. */
  time: number;
  binary: boolean;
  frames: number[];
}

export interface ReportResponse {
  status: number;
  reason: string;
  headers: Header[];
  version: string;
  /** The status code as written (may be malformed). */
  statusText: string;
  time: number;
  binary: boolean;
  frames: number[];
  terminator: 'empty-frame' | 'message-end' | 'none';
}

export interface ReportRound {
  request: ReportRequest | null;
  response: ReportResponse | null;
  action: StatusAction;
  /** How the status table read the code (absent when there was no response). */
  status?: { code: number; listed: boolean; classCode: number | null; meaning: string };
}

export interface ReportExtension {
  name: string;
  params: Record<string, string | number | true>;
  controlPrefix?: string;
}

export interface ReportConnection {
  id: string;
  url: string;
  requestedProtocols: string[];
  protocol: string | null;
  khp: boolean;
  rounds: ReportRound[];
  outcome: Outcome;
  /** Granted in the completing extended response. */
  extensions: ReportExtension[];
  redirectTo: string | null;
  findings: ReportFinding[];
  redirectKind: 'status' | 'balancer' | null;
  openingExtensions: ReportExtension[];
  requestedExtensions: ReportExtension[];
  extendedProtocols: string[];
  /** Epoch ms the socket was created / last seen. */
  startedAt: number;
  endedAt: number;
  frameCount: number;
  close: { code: number; reason: string; wasClean: boolean } | null;
  /** `.kl=Y` was in the opening URL. */
  kl: boolean;
  timeline: TimelineStep[];
  replayOf?: string;
  /** The worker the socket was opened in (script URL redacted like every URL). */
  worker?: { kind: 'dedicated' | 'shared'; url: string };
}

export interface ReportChain {
  connections: string[];
  outcome: ChainOutcome;
  loop: boolean;
  findings: ReportFinding[];
}

/** The JSON report, version 1. */
export interface ReportV1 {
  version: 1;
  connections: ReportConnection[];
  chains: ReportChain[];
  /** True when credentials were replaced by `[redacted]`. */
  redacted: boolean;
}

/** Options of `toReport`. */
export interface ReportOptions {
  /** Keep credential values as captured (default false: redacted). */
  showCredentials?: boolean;
}

function findingOut(f: Finding, text: (s: string) => string): ReportFinding {
  const out: ReportFinding = { severity: f.severity, rule: f.rule, message: text(f.message), spec: f.spec };
  if (f.frame !== undefined) out.frame = f.frame;
  if (f.round !== undefined) out.round = f.round;
  return out;
}

function extensionOut(e: Extension): ReportExtension {
  const out: ReportExtension = { name: e.name, params: { ...e.params } };
  if (e.controlPrefix !== undefined) out.controlPrefix = e.controlPrefix;
  return out;
}

interface Redactor {
  headers: (h: Header[]) => Header[];
  url: (u: string) => string;
  text: (s: string) => string;
}

function roundOut(r: Round, red: Redactor): ReportRound {
  const q = r.request;
  const s = r.response;
  const out: ReportRound = {
    request: q && {
      method: q.method,
      target: red.url(q.target),
      headers: red.headers(q.headers),
      version: q.version,
      time: q.time,
      binary: q.binary,
      frames: [...q.frames],
    },
    response: s && {
      status: s.status,
      reason: s.reason,
      headers: red.headers(s.headers),
      version: s.version,
      statusText: s.statusText,
      time: s.time,
      binary: s.binary,
      frames: [...s.frames],
      terminator: s.terminator,
    },
    action: r.action,
  };
  if (r.status) {
    const { code, listed, classCode, meaning } = r.status;
    out.status = { code, listed, classCode, meaning };
  }
  return out;
}

function connectionOut(c: Connection, red: Redactor): ReportConnection {
  const out: ReportConnection = {
    id: c.id,
    url: red.url(c.url),
    requestedProtocols: [...c.requestedProtocols],
    protocol: c.protocol,
    khp: c.khp,
    rounds: c.rounds.map((r) => roundOut(r, red)),
    outcome: c.outcome,
    extensions: c.extensions.map(extensionOut),
    redirectTo: c.redirectTo === null ? null : red.url(c.redirectTo),
    findings: c.findings.map((f) => findingOut(f, red.text)),
    redirectKind: c.redirectKind,
    openingExtensions: c.openingExtensions.map(extensionOut),
    requestedExtensions: c.requestedExtensions.map(extensionOut),
    extendedProtocols: [...c.extendedProtocols],
    startedAt: c.startedAt,
    endedAt: c.endedAt,
    frameCount: c.frameCount,
    close: c.close && { ...c.close },
    kl: c.kl,
    timeline: c.timeline.map((t) => ({ ...t, label: red.text(t.label) })),
  };
  if (c.replayOf !== undefined) out.replayOf = c.replayOf;
  if (c.worker !== undefined) out.worker = { kind: c.worker.kind, url: red.url(c.worker.url) };
  return out;
}

function chainOut(ch: Chain, red: Redactor): ReportChain {
  return {
    connections: [...ch.connections],
    outcome: ch.outcome,
    loop: ch.loop,
    findings: ch.findings.map((f) => findingOut(f, red.text)),
  };
}

const IDENTITY: Redactor = { headers: (h) => h.map(([n, v]) => [n, v]), url: (u) => u, text: (s) => s };
const REDACT: Redactor = { headers: redactHeaders, url: redactUrl, text: redactText };

/**
 * Serialises a decode result as the JSON report v1: connections in the order the sockets were
 * opened, chains as decoded. Credential header values and URL credentials are `[redacted]` unless
 * `showCredentials`.
 */
export function toReport(result: DecodeResult, options: ReportOptions = {}): ReportV1 {
  const red = options.showCredentials ? IDENTITY : REDACT;
  const ordered = result.connections
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.startedAt - b.c.startedAt || a.i - b.i)
    .map((x) => x.c);
  return {
    version: REPORT_VERSION,
    connections: ordered.map((c) => connectionOut(c, red)),
    chains: result.chains.map((ch) => chainOut(ch, red)),
    redacted: !options.showCredentials,
  };
}
