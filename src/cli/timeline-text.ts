/**
 * The readable timeline `khp-inspect decode` prints: per chain, per connection, the URL, the
 * negotiated protocol, each round of the extended handshake with its key headers, the extensions
 * granted, the outcome and the findings. Works from the JSON report, so it shows exactly what
 * `--json` would (and is redacted the same way), as plain text: no Markdown, no raw control
 * characters from the capture.
 */
import type { ReportConnection, ReportFinding, ReportRound, ReportV1 } from '../protocol/report';
import { STATUS_CODES } from '../protocol/status-codes';
import { escapeStrings } from '../protocol/terminal-safe';

/** Options of `formatTimeline`. */
export interface TimelineTextOptions {
  /** Use ANSI colours. */
  color: boolean;
}

const REQUEST_KEYS = ['sec-websocket-protocol', 'sec-websocket-extensions', 'authorization', 'expect'];
const RESPONSE_KEYS = ['location', 'www-authenticate', 'sec-websocket-extensions'];

type Paint = (code: number, text: string) => string;

/** Relative time: `+12 ms`, `+1.52 s`. */
export function relativeTime(ms: number): string {
  if (!Number.isFinite(ms)) return '+? ms';
  const v = Math.max(0, ms);
  if (v >= 1000) return `+${(v / 1000).toFixed(2)} s`;
  return `+${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
}

const SEVERITY_COLOUR = { error: 31, warning: 33, info: 36 } as const;
const OUTCOME_COLOUR: Record<string, number> = {
  open: 32,
  failed: 31,
  loop: 31,
  'too-many-redirects': 31,
  redirected: 33,
  pending: 33,
  'not-khp': 2,
};

/** Every `_term_` the spec's status table marks (the panel shows these in italics). */
const MARKED_TERMS = [
  ...new Set(Object.values(STATUS_CODES).flatMap((e) => e.specAction.match(/_[^_\s][^_]*_/g) ?? [])),
];

/**
 * Rule text as plain words for the terminal: the spec's marked terms lose their underscores
 * (`MUST _Close the WebSocket Connection_` reads `MUST Close the WebSocket Connection`). Only those
 * terms are unwrapped, so captured text a finding quotes (a reason phrase) is printed as it was sent.
 */
export function plainRuleText(text: string): string {
  let out = text;
  for (const marked of MARKED_TERMS) {
    if (out.includes(marked)) out = out.split(marked).join(marked.slice(1, -1));
  }
  return out;
}

function findingLines(findings: ReportFinding[], indent: string, paint: Paint): string[] {
  if (findings.length === 0) return [`${indent}findings: none`];
  const width = Math.max(...findings.map((f) => f.rule.length));
  return [
    `${indent}findings:`,
    ...findings.map(
      (f) =>
        `${indent}  ${paint(SEVERITY_COLOUR[f.severity], f.severity.padEnd(7))}  ${f.rule.padEnd(width)}  ${plainRuleText(f.message)}  ${paint(2, `[${plainRuleText(f.spec)}]`)}`,
    ),
  ];
}

function keyHeaders(headers: [string, string][], keys: string[], indent: string): string[] {
  return headers
    .filter(([n, v]) => keys.includes(n.toLowerCase()) && v !== '')
    .map(([n, v]) => `${indent}${n}: ${v}`);
}

function roundLines(r: ReportRound, start: number, indent: string, paint: Paint): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(12);
  if (r.request) {
    const kind = r.request.binary ? 'binary' : 'text';
    out.push(
      `${indent}${relativeTime(r.request.time - start).padEnd(10)}  → ${r.request.method} ${r.request.target}  ${paint(2, `[${kind}]`)}`,
    );
    out.push(...keyHeaders(r.request.headers, REQUEST_KEYS, indent + pad + '  '));
  }
  if (r.response) {
    const s = r.response;
    const detail = `${s.binary ? 'binary' : 'text'}, ${s.frames.length} message${s.frames.length === 1 ? '' : 's'}, end: ${s.terminator}`;
    const head = `← ${s.status} ${s.reason}`.trimEnd();
    out.push(
      `${indent}${relativeTime(s.time - start).padEnd(10)}  ${head} (${r.action})  ${paint(2, `[${detail}]`)}`,
    );
    out.push(...keyHeaders(s.headers, RESPONSE_KEYS, indent + pad + '  '));
  } else {
    out.push(`${indent}${''.padEnd(10)}  ← no response (${r.action})`);
  }
  return out;
}

function connectionLines(c: ReportConnection, n: number, origin: number, paint: Paint): string[] {
  const ind = '    ';
  const out = [`  [${n}] ${c.url}  ${paint(2, `(${c.id}, ${relativeTime(c.startedAt - origin)})`)}`];
  const requested = c.requestedProtocols.length > 0 ? c.requestedProtocols.join(', ') : 'none';
  const negotiated = c.protocol === null ? 'never opened' : c.protocol === '' ? 'none' : c.protocol;
  out.push(`${ind}protocol: ${negotiated}${c.khp ? ' (KHP)' : ''}; requested: ${requested}`);
  for (const r of c.rounds) out.push(...roundLines(r, c.startedAt, ind, paint));
  if (c.extensions.length > 0) {
    const list = c.extensions.map((e) => {
      const prefix = e.controlPrefix?.toLowerCase();
      const params = Object.entries(e.params)
        .filter(([k]) => k.toLowerCase() !== prefix)
        .map(([k, v]) => (v === true ? k : `${k}=${v}`));
      if (e.controlPrefix) params.push(`prefix ${e.controlPrefix}`);
      return params.length > 0 ? `${e.name} (${params.join(', ')})` : e.name;
    });
    out.push(`${ind}extensions granted: ${list.join(', ')}`);
  }
  let outcome = paint(OUTCOME_COLOUR[c.outcome] ?? 0, c.outcome);
  if (c.redirectTo !== null)
    outcome += ` → ${c.redirectTo}${c.redirectKind === 'balancer' ? ' (balancer)' : ''}`;
  if (c.close) outcome += paint(2, `  (closed ${c.close.code}${c.close.reason ? ` ${c.close.reason}` : ''})`);
  out.push(`${ind}outcome: ${outcome}`);
  out.push(...findingLines(c.findings, ind, paint));
  return out;
}

/**
 * Formats a report as the decode timeline (ends with a newline). Every string of the report is
 * captured or server-sent data, so all of them go through `escapeStrings` first: the only control
 * characters in the result are the line breaks and colours added here.
 */
export function formatTimeline(raw: ReportV1, options: TimelineTextOptions): string {
  const report = escapeStrings(raw);
  const paint: Paint = options.color
    ? (code, text) => (code ? `\x1b[${code}m${text}\x1b[0m` : text)
    : (_c, t) => t;
  const byId = new Map(report.connections.map((c) => [c.id, c] as const));
  const number = new Map(report.connections.map((c, i) => [c.id, i + 1] as const));
  if (report.connections.length === 0) return 'No WebSocket connections found.\n';
  const origin = Math.min(...report.connections.map((c) => c.startedAt));
  const lines: string[] = [
    `${report.connections.length} connection${report.connections.length === 1 ? '' : 's'}, ` +
      `${report.chains.length} chain${report.chains.length === 1 ? '' : 's'}` +
      (report.redacted ? paint(2, ' (credentials redacted)') : ''),
  ];
  const shown = new Set<string>();
  report.chains.forEach((ch, i) => {
    lines.push(
      '',
      `Chain ${i + 1}: ${ch.connections.length} connection${ch.connections.length === 1 ? '' : 's'}, outcome ${paint(OUTCOME_COLOUR[ch.outcome] ?? 0, ch.outcome)}`,
    );
    if (ch.findings.length > 0) lines.push(...findingLines(ch.findings, '  ', paint));
    for (const id of ch.connections) {
      const c = byId.get(id);
      if (!c) continue;
      shown.add(id);
      lines.push(...connectionLines(c, number.get(id)!, origin, paint));
    }
  });
  const rest = report.connections.filter((c) => !shown.has(c.id));
  if (rest.length > 0) {
    lines.push('', 'Not in a chain:');
    for (const c of rest) lines.push(...connectionLines(c, number.get(c.id)!, origin, paint));
  }
  return lines.join('\n') + '\n';
}
