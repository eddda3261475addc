/**
 * The reports of `suite server --out`: index.json (versioned, agents merged across runs), index.html
 * and a JSON and an HTML page per case, written from real runs; a hostile peer's markup, escape
 * sequences and bidi overrides appear as escaped text only, and the pages need no script.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_CASES, selectCases } from '../../../src/protocol/suite/catalogue';
import { html } from '../../../src/protocol/suite/report-html';
import { agentSlug, type SuiteIndex, type CaseDocument } from '../../../src/protocol/suite/report';
import { emptyConfig } from '../../../src/cli/suite/args';
import { writeReports } from '../../../src/cli/suite/report-files';
import { runCases } from '../../../src/cli/suite/runner';
import { RAW_CONTROL } from '../cli/cli-helpers';
import { MARKUP, startHostile } from './hostile-server';
import { runAgainst, serverSummary } from './suite-harness';

/** The only elements the report writes. */
const OUR_TAGS = new Set(
  '!doctype html head meta title style body h1 h2 h3 p a ul li table thead tbody tr th td span b br pre'.split(
    ' ',
  ),
);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'khp-suite-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
describe('suite reports', () => {
  it('writes the index and a page and a document per case, and merges agents', async () => {
    const runs = await runAgainst({ mode: 'gateway' }, ['3.2', '7.1']);
    writeReports(dir, serverSummary('reference gateway', 'ws://127.0.0.1/echo', runs));
    writeReports(dir, serverSummary('second', 'ws://127.0.0.1/other', runs.slice(0, 1)));
    const index = JSON.parse(read('index.json')) as SuiteIndex;
    expect(index).toMatchObject({ version: 1, tool: 'khp-inspect suite', role: 'server' });
    expect(index.cases.map((c) => c.id)).toEqual(SERVER_CASES.map((c) => c.id));
    expect(index.agents.map((a) => a.agent)).toEqual(['reference gateway', 'second']);
    expect(index.agents[0]!.results['3.2']).toMatchObject({
      verdict: 'OK',
      file: expect.stringMatching(/^reference_gateway-[0-9a-f]{8}\/case-3\.2$/),
    });
    const slug = agentSlug('reference gateway');
    expect(agentSlug('reference_gateway')).toBe('reference_gateway');
    expect(slug).not.toBe(agentSlug('reference/gateway'));
    const doc = JSON.parse(read(`${slug}/case-3.2.json`)) as CaseDocument;
    expect(doc.wire.map((w) => `${w.dir} ${w.role}`)).toContain('send handshake-request');
    expect(doc.wire.find((w) => w.role === 'balancer')).toMatchObject({ opcode: 'binary', hex: 'ef83bf4e' });
    expect(doc.decoded.connections[0]!.rounds.map((r) => r.response?.status)).toEqual([401, 101]);
    // The configured credentials stay out of the files unless asked for.
    expect(read(`${slug}/case-3.2.json`)).not.toContain('am9lOndlbGNvbWU=');
    expect(read(`${slug}/case-3.2.html`)).toContain('Basic [redacted]');
    const page = read('index.html');
    expect(page).toContain(`href="${slug}/case-3.2.html"`);
    expect(page).toContain('class="badge v-ok"');
    expect(page).toMatch(/Legend[\s\S]*NON-STRICT[\s\S]*close WRONG CODE/);
  });

  it('shows a hostile peer as text: no markup, no control character, no script', async () => {
    const peer = await startHostile();
    try {
      const config = { ...emptyConfig(), quietMs: 100 };
      config.paths.redirect = '/r';
      const runs = await runCases(selectCases(SERVER_CASES, ['4.1', '8.2'], []), {
        url: `${peer.wsUrl}/echo`,
        config,
        timeoutMs: 1500,
      });
      writeReports(dir, serverSummary(`evil${MARKUP}`, `${peer.wsUrl}/echo`, runs));
    } finally {
      await peer.close();
    }
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = read(file);
      const tags = new Set([...text.matchAll(/<\/?([a-z!][a-z0-9]*)/gi)].map((m) => m[1]!.toLowerCase()));
      expect([...tags].filter((t) => !OUR_TAGS.has(t))).toEqual([]);
      const hrefs = [...text.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
      expect(hrefs.filter((h) => !/^[\w./-]+\.html$/.test(h))).toEqual([]);
      for (const line of text.split('\n')) expect(line).not.toMatch(RAW_CONTROL);
    }
    const evil = files.find((f) => f.includes('case-4.1'))!;
    expect(read(evil)).toContain(html(MARKUP));
    expect(read(evil)).toContain('\\u202e');
  });
});
