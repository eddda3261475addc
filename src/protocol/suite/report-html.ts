/**
 * The suite's HTML reports: `index.html` (agents × cases, colour-coded, with the legend) and one
 * page per case and agent (the wire log both ways with times, text and hex, and the decoded
 * handshake). Self-contained: inline CSS, no script. Everything a peer sent (payloads, headers,
 * reasons, URLs) and every note is written as escaped text, its control and bidi characters shown
 * as escapes (terminal-safe.ts), never as markup.
 */
import { escapeControls } from '../terminal-safe';
import type { ReportRound } from '../report';
import { caseFile, type CaseDocument, type SuiteIndex, type WireEntry } from './report';
import {
  CLOSE_MEANING,
  CLOSE_VERDICTS,
  VERDICTS,
  VERDICT_MEANING,
  type CloseVerdict,
  type SuiteRole,
  type Verdict,
} from './types';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` as HTML text: markup characters as entities, control and bidi characters as escapes. */
export function html(text: string | number): string {
  return String(text)
    .split('\n')
    .map((line) => escapeControls(line))
    .join('\n')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** The class of a verdict's colour. */
function tone(v: Verdict | CloseVerdict | null): string {
  return `v-${(v ?? 'none').toLowerCase().replace(/[^a-z]+/g, '-')}`;
}

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.6rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f1f1}tr.cat th{background:#e4e8f0}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-weight:600;white-space:nowrap}
.v-ok{background:#c8efc9;color:#0d4a12}.v-non-strict{background:#fff0b3;color:#5a4500}
.v-informational{background:#d7e6fb;color:#123c73}.v-unimplemented{background:#e6e6e6;color:#333}
.v-failed{background:#f7c6c6;color:#6d0d0d}.v-wrong-code{background:#ffd9a8;color:#5c3100}
.v-unclean{background:#f3d3f0;color:#5a1052}.v-none{color:#777}
pre{margin:0;white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,monospace}
table.wire td:nth-child(5){min-width:28em}table.wire td:nth-child(6) pre{font-size:11px;color:#444}
.send{background:#f4f8ff}.receive{background:#f7fff4}.muted{color:#666}
`;

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${html(title)}</title><style>${CSS}</style></head>
<body>${body}</body></html>\n`;
}

function badge(v: Verdict | CloseVerdict | null, label = v ?? '—'): string {
  return `<span class="badge ${tone(v)}">${html(label)}</span>`;
}

function legend(): string {
  const rows = VERDICTS.map((v) => `<tr><td>${badge(v)}</td><td>${html(VERDICT_MEANING[v])}</td></tr>`);
  const close = CLOSE_VERDICTS.map(
    (v) => `<tr><td>${badge(v, `close ${v}`)}</td><td>${html(CLOSE_MEANING[v])}</td></tr>`,
  );
  return `<h2>Legend</h2><table><tbody>${rows.join('')}${close.join('')}</tbody></table>`;
}

/** `index.html`: one row per case, one column per agent. */
export function indexHtml(index: SuiteIndex): string {
  const head = index.agents
    .map((a) => `<th>${html(a.agent)}<br><span class="muted">${html(a.url)}</span></th>`)
    .join('');
  const rows: string[] = [];
  let category = -1;
  for (const c of index.cases) {
    if (c.category !== category) {
      category = c.category;
      rows.push(
        `<tr class="cat"><th colspan="${index.agents.length + 1}">${html(`${c.category}. ${c.categoryName}`)}</th></tr>`,
      );
    }
    const cells = index.agents.map((a) => {
      const r = a.results[c.id];
      if (!r) return '<td class="muted">not run</td>';
      const close = r.close === null ? '' : ` ${badge(r.close, `close ${r.close}`)}`;
      return `<td><a href="${html(`${r.file}.html`)}">${badge(r.verdict)}</a>${close}</td>`;
    });
    rows.push(`<tr><td><b>${html(c.id)}</b> ${html(c.title)}</td>${cells.join('')}</tr>`);
  }
  const summary = index.agents
    .map(
      (a) =>
        `<li>${html(a.agent)}: ${VERDICTS.map((v) => `${html(a.counts[v])} ${badge(v)}`).join(' ')} <span class="muted">(${html(a.startedAt)}, ${html(a.durationMs)} ms)</span></li>`,
    )
    .join('');
  const body = `<h1>KHP conformance suite: ${html(index.role)} role</h1><ul>${summary}</ul>
<table><thead><tr><th>Case</th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>${legend()}
<p class="muted">khp-inspect suite, report version ${html(index.version)}; machine-readable: index.json.</p>`;
  return page(`KHP suite (${index.role})`, body);
}

/** A wire log row; `send` is the suite's message in the server role, the client's in the client role. */
function wireRow(e: WireEntry, role: SuiteRole): string {
  const sent = role === 'client' ? 'client → suite' : 'suite → server';
  const arrow = e.dir === 'send' ? sent : role === 'client' ? 'suite → client' : 'server → suite';
  return `<tr class="${e.dir}"><td>${html(e.at.toFixed(1))}</td><td>${html(e.socket + 1)}</td><td>${arrow}</td><td>${html(e.opcode)}, ${html(e.size)} B<br><span class="muted">${html(e.role)}</span></td><td><pre>${html(e.text)}</pre></td><td><pre>${html(e.hex.replace(/(..)(?!$)/g, '$1 '))}</pre></td></tr>`;
}

function headers(list: [string, string][]): string {
  return list.map(([n, v]) => `${html(n)}: ${html(v)}`).join('\n');
}

function roundRow(r: ReportRound, i: number): string {
  const req = r.request
    ? `${html(r.request.method)} ${html(r.request.target)} ${html(r.request.version)}\n${headers(r.request.headers)}`
    : '(none)';
  const res = r.response
    ? `${html(r.response.version)} ${html(r.response.statusText)} ${html(r.response.reason)}\n${headers(r.response.headers)}\n(ends: ${html(r.response.terminator)})`
    : '(none)';
  return `<tr><td>${i + 1}</td><td><pre>${req}</pre></td><td><pre>${res}</pre></td><td>${html(r.action)}</td></tr>`;
}

/** The page of one case as run by one agent; `up` is the way back to the index. */
export function caseHtml(doc: CaseDocument, up = '../index.html'): string {
  const c = doc.case;
  const r = doc.result;
  const notes = r.notes.map((n) => `<li>${html(n)}</li>`).join('');
  const sockets = doc.sockets
    .map((s, i) => {
      const close = s.close
        ? `${s.close.code} ${s.close.reason ? `“${html(s.close.reason)}” ` : ''}by the ${html(s.close.by)} at ${html(s.close.at)} ms${s.close.wasClean ? '' : ' (not clean)'}`
        : 'none';
      return `<tr><td>${i + 1}</td><td>${html(s.url)}</td><td>${html(s.requestedProtocols.join(', '))}</td><td>${s.protocol === null ? 'not opened' : html(s.protocol || '(none)')}</td><td>${html(s.extensions || '—')}</td><td>${close}${s.error ? `<br>error: ${html(s.error)}` : ''}</td></tr>`;
    })
    .join('');
  const decoded = doc.decoded.connections
    .map((conn, i) => {
      const findings = conn.findings
        .map(
          (f) =>
            `<li>${html(f.severity)} <b>${html(f.rule)}</b>: ${html(f.message)} <span class="muted">(${html(f.spec)})</span></li>`,
        )
        .join('');
      return `<h3>Socket ${i + 1}: ${html(conn.outcome)}</h3><table><thead><tr><th>Round</th><th>Request</th><th>Response</th><th>Action</th></tr></thead><tbody>${conn.rounds.map(roundRow).join('')}</tbody></table>${findings ? `<ul>${findings}</ul>` : ''}`;
    })
    .join('');
  const close = r.close === null ? '' : ` ${badge(r.close, `close ${r.close}`)}`;
  const body = `<p><a href="${html(up)}">← all cases</a></p>
<h1>${html(c.id)} ${html(c.title)}</h1>
<p>${badge(r.verdict)}${close} <span class="muted">${html(doc.agent)}, ${html(r.durationMs)} ms${doc.timedOut ? ', timed out' : ''}</span></p>
<table><tbody><tr><th>Category</th><td>${html(`${c.category}. ${c.categoryName}`)}</td></tr>
<tr><th>Does</th><td>${html(c.description)}</td></tr><tr><th>Expects</th><td>${html(c.expectation)}</td></tr>
<tr><th>Spec</th><td>${html(c.spec)}</td></tr><tr><th>Rules</th><td>${html(c.rules.join(', ') || '—')}</td></tr>
${c.close ? `<tr><th>Close</th><td>by the ${html(c.close.by)}, code ${html(c.close.codes.join(' or '))}</td></tr>` : ''}</tbody></table>
<h2>Why</h2><ul>${notes}</ul>
<h2>Sockets</h2><table><thead><tr><th>#</th><th>URL</th><th>Offered</th><th>Protocol</th><th>Extensions</th><th>Close</th></tr></thead><tbody>${sockets}</tbody></table>
<h2>Wire log</h2><table class="wire"><thead><tr><th>ms</th><th>Socket</th><th>Direction</th><th>Message</th><th>Text</th><th>Hex</th></tr></thead><tbody>${doc.wire.map((e) => wireRow(e, c.role)).join('\n')}</tbody></table>
<h2>Decoded handshake</h2>${decoded}
<p class="muted">${doc.redacted ? 'Credentials are shown as [redacted]. ' : ''}Machine-readable: ${html(caseFile(doc.agent, c.id).split('/').pop()!)}.json</p>`;
  return page(`${c.id} ${c.title}: ${r.verdict}`, body);
}
