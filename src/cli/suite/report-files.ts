/**
 * Writes the suite's reports into `--out DIR`: `index.json` and `index.html` (merged with the other
 * agents an earlier run left there), and per case `<agent>/case-<id>.json` and `.html`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  caseDocument,
  caseFile,
  countVerdicts,
  mergeIndex,
  type AgentRun,
  type SuiteIndex,
} from '../../protocol/suite/report';
import { caseHtml, indexHtml } from '../../protocol/suite/report-html';
import { redactUrl } from '../../protocol/redact';
import type { SuiteCaseBase, SuiteRole } from '../../protocol/suite/types';
import type { CaseRun } from './runner';

/** What was run, for the reports. */
export interface RunSummary {
  role: SuiteRole;
  agent: string;
  url: string;
  startedAt: number;
  durationMs: number;
  /** Every case of the role (the index describes them all). */
  cases: readonly SuiteCaseBase[];
  runs: readonly CaseRun[];
  showCredentials: boolean;
}

/** This agent's results as the index holds them. */
export function agentRun(summary: RunSummary): AgentRun {
  const results: AgentRun['results'] = {};
  for (const run of summary.runs)
    results[run.result.id] = { ...run.result, file: caseFile(summary.agent, run.result.id) };
  return {
    agent: summary.agent,
    url: summary.showCredentials ? summary.url : redactUrl(summary.url),
    startedAt: new Date(summary.startedAt).toISOString(),
    durationMs: summary.durationMs,
    counts: countVerdicts(summary.runs.map((r) => r.result)),
    results,
  };
}

function readPrevious(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Writes every report file; returns the index written. */
export function writeReports(dir: string, summary: RunSummary): SuiteIndex {
  const indexFile = join(dir, 'index.json');
  const index = mergeIndex(readPrevious(indexFile), summary.role, summary.cases, agentRun(summary));
  for (const run of summary.runs) {
    const doc = caseDocument(summary.agent, summary.url, run.case, run.result, run, summary.showCredentials);
    const base = join(dir, caseFile(summary.agent, run.result.id));
    write(`${base}.json`, `${JSON.stringify(doc, null, 2)}\n`);
    write(`${base}.html`, caseHtml(doc));
  }
  write(indexFile, `${JSON.stringify(index, null, 2)}\n`);
  write(join(dir, 'index.html'), indexHtml(index));
  return index;
}
