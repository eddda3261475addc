/**
 * The suite's machine-readable reports, version 1 (docs/suite.md, "Reports"): `index.json` holds
 * every case's description and each agent's results; one document per case and agent holds the
 * wire log (every message both ways, with its time, as text and hex) and the decoded handshake.
 * Field names are a contract while `version` is 1: new fields may be added, none renamed.
 * Credentials are redacted unless asked for.
 */
import { frameBytes, toHex, utf8Decode } from '../bytes';
import type { CapturedSocket } from '../capture';
import type { DecodeResult } from '../model';
import { redactSocket, redactUrl } from '../redact';
import { toReport, type ReportV1 } from '../report';
import { CATEGORIES } from './catalogue';
import type {
  CaseResult,
  CloseExpectation,
  ClosedBy,
  Observation,
  SuiteCaseBase,
  SuiteRole,
  Verdict,
} from './types';
import { VERDICTS } from './types';

export const SUITE_REPORT_VERSION = 1;

/** A case as reports describe it. */
export interface CaseInfo {
  id: string;
  /** Whose side the case tests: in the wire log, `send` is the suite's (server role) or the client's (client role). */
  role: SuiteRole;
  category: number;
  categoryName: string;
  title: string;
  description: string;
  expectation: string;
  spec: string;
  rules: string[];
  close: CloseExpectation | null;
}

/** One agent's run. */
export interface AgentRun {
  agent: string;
  url: string;
  /** ISO time the run started. */
  startedAt: string;
  durationMs: number;
  /** Verdict counts. */
  counts: Record<Verdict, number>;
  /** By case id; `file` is the case document, relative to the index. */
  results: Record<string, CaseResult & { file: string }>;
}

/** `index.json`. */
export interface SuiteIndex {
  version: typeof SUITE_REPORT_VERSION;
  tool: 'khp-inspect suite';
  role: SuiteRole;
  cases: CaseInfo[];
  agents: AgentRun[];
}

/** One message of the wire log. */
export interface WireEntry {
  /** Index of the socket in the case (0 for the first). */
  socket: number;
  dir: 'send' | 'receive';
  /** Milliseconds since the case started. */
  at: number;
  opcode: 'text' | 'binary';
  size: number;
  /** The payload as UTF-8 text (lossy for binary). */
  text: string;
  /** The payload bytes, lower-case hex. */
  hex: string;
  /** The decoder's role for the message (`handshake-request`, `terminator`, `balancer`...). */
  role: string;
}

/** A socket of the case: how it opened and closed. */
export interface WireSocket {
  url: string;
  requestedProtocols: string[];
  /** The protocol the server chose; null when the opening failed. */
  protocol: string | null;
  extensions: string;
  openedAt: number | null;
  close: { at: number; code: number; reason: string; wasClean: boolean; by: ClosedBy } | null;
  error: string | null;
  standardPings: number;
}

/** A case document (`<agent>/<id>.json`). */
export interface CaseDocument {
  version: typeof SUITE_REPORT_VERSION;
  agent: string;
  url: string;
  case: CaseInfo;
  result: CaseResult;
  timedOut: boolean;
  sockets: WireSocket[];
  wire: WireEntry[];
  /** The decoder's reading (the JSON report of `khp-inspect decode`, version 1). */
  decoded: ReportV1;
  redacted: boolean;
}

/** A case's description for reports. */
export function caseInfo(c: SuiteCaseBase): CaseInfo {
  return {
    id: c.id,
    role: c.role,
    category: c.category,
    categoryName: CATEGORIES[c.category] ?? '',
    title: c.title,
    description: c.description,
    expectation: c.expectation,
    spec: c.spec,
    rules: [...c.rules],
    close: c.close ?? null,
  };
}

/** Counts of each verdict. */
export function countVerdicts(results: readonly { verdict: Verdict }[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[r.verdict]++;
  return counts;
}

/** File name of a case document or page, without extension: ids are `\d+.\d+`, agents are slugged. */
export function caseFile(agent: string, id: string): string {
  return `${agentSlug(agent)}/case-${id}`;
}

/**
 * An agent name as a directory name: letters, digits, `.`, `_` and `-`, others as `_`; a name that
 * needed changing gets a short hash of itself, so two agents never share a directory.
 */
export function agentSlug(agent: string): string {
  const plain =
    agent
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 60) || 'agent';
  if (plain === agent) return plain;
  let h = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < agent.length; i++) h = Math.imul(h ^ agent.charCodeAt(i), 0x01000193) >>> 0;
  return `${plain}-${h.toString(16).padStart(8, '0')}`;
}

/** The wire log and sockets of a case, times relative to `startedAt`. */
export function wireLog(
  obs: Observation,
  decoded: DecodeResult,
  startedAt: number,
  showCredentials: boolean,
): { sockets: WireSocket[]; wire: WireEntry[] } {
  const rel = (t: number): number => Math.round((t - startedAt) * 10) / 10;
  const sockets: WireSocket[] = [];
  const wire: WireEntry[] = [];
  obs.sockets.forEach((raw: CapturedSocket, i) => {
    const s = showCredentials ? raw : redactSocket(raw);
    const roles = decoded.connections.find((c) => c.id === raw.id)?.roles ?? [];
    sockets.push({
      url: s.url,
      requestedProtocols: s.requestedProtocols,
      protocol: s.protocol ?? null,
      extensions: s.extensions ?? '',
      openedAt: s.openedAt === undefined ? null : rel(s.openedAt),
      close: s.close
        ? {
            at: rel(s.close.time),
            code: s.close.code,
            reason: s.close.reason,
            wasClean: s.close.wasClean,
            by: obs.closedBy[i] ?? 'none',
          }
        : null,
      error: s.error?.message ?? null,
      standardPings: obs.pings[i] ?? 0,
    });
    s.frames.forEach((f, n) => {
      const bytes = frameBytes(f);
      wire.push({
        socket: i,
        dir: f.dir,
        at: rel(f.time),
        opcode: f.opcode === 1 ? 'text' : 'binary',
        size: f.size,
        text: f.opcode === 1 ? f.data : utf8Decode(bytes),
        hex: toHex(bytes),
        role: roles[n] ?? 'data',
      });
    });
  });
  return { sockets, wire };
}

/** The document of one case as run by `agent`. */
export function caseDocument(
  agent: string,
  url: string,
  c: SuiteCaseBase,
  result: CaseResult,
  run: { obs: Observation; decoded: DecodeResult; startedAt: number },
  showCredentials = false,
): CaseDocument {
  const { sockets, wire } = wireLog(run.obs, run.decoded, run.startedAt, showCredentials);
  return {
    version: SUITE_REPORT_VERSION,
    agent,
    url: showCredentials ? url : redactUrl(url),
    case: caseInfo(c),
    result,
    timedOut: run.obs.timedOut,
    sockets,
    wire,
    decoded: toReport(run.decoded, { showCredentials }),
    redacted: !showCredentials,
  };
}

/**
 * The index after `run`: `previous` (an index read back from the same directory, when it is one of
 * this role and version) keeps its other agents; this agent's results replace its old ones.
 */
export function mergeIndex(
  previous: unknown,
  role: SuiteRole,
  cases: readonly SuiteCaseBase[],
  run: AgentRun,
): SuiteIndex {
  const old = isIndex(previous, role) ? previous : null;
  const infos = new Map((old?.cases ?? []).map((c) => [c.id, c]));
  for (const c of cases) infos.set(c.id, caseInfo(c));
  const byId = (a: CaseInfo, b: CaseInfo): number => {
    const [a1 = 0, a2 = 0] = a.id.split('.').map(Number);
    const [b1 = 0, b2 = 0] = b.id.split('.').map(Number);
    return a1 - b1 || a2 - b2;
  };
  const agents = (old?.agents ?? []).filter((a) => a.agent !== run.agent);
  return {
    version: SUITE_REPORT_VERSION,
    tool: 'khp-inspect suite',
    role,
    cases: [...infos.values()].sort(byId),
    agents: [...agents, run],
  };
}

function isIndex(value: unknown, role: SuiteRole): value is SuiteIndex {
  const v = value as Partial<SuiteIndex> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.version === SUITE_REPORT_VERSION &&
    v.role === role &&
    Array.isArray(v.cases) &&
    Array.isArray(v.agents) &&
    v.agents.every((a) => typeof a?.agent === 'string' && typeof a.results === 'object' && a.results !== null)
  );
}
