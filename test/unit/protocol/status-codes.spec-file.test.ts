import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STATUS_CODES } from '../../../src/protocol/status-codes';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const specPath = path.resolve(repoRoot, '../shared/spec/x-kaazing-handshake.md');
const specText = existsSync(specPath) ? readFileSync(specPath, 'utf8') : null;

interface SpecRow {
  code: number;
  /** The "HTTP Response Code" cell up to `<br>`, links reduced to their text. */
  title: string;
  /** The "Extended Handshake Action" cell, whitespace normalised. */
  action: string;
}

const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Rows of the section "Kaazing Extended Handshake Response Codes" (up to "## References"). */
function specRows(md: string): SpecRow[] {
  const start = md.indexOf('### Kaazing Extended Handshake Response Codes');
  const end = md.indexOf('## References', start);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = md.slice(start, end === -1 ? undefined : end).split('\n');
  const rows: SpecRow[] = [];
  lines.forEach((line, k) => {
    const head = /^\|\s*HTTP Response Code\s*\|\s*(.*)$/.exec(line);
    if (!head) return;
    const title = normalise(head[1]!.split('<br>')[0]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const code = /^(\d{3})\b/.exec(title);
    const action = /^\|\s*Extended Handshake Action\s*\|(.*?)\|?\s*$/.exec(lines[k + 1] ?? '');
    expect(code, `code in: ${line}`).not.toBeNull();
    expect(action, `action row after: ${line}`).not.toBeNull();
    rows.push({ code: Number(code![1]), title, action: normalise(action![1]!) });
  });
  return rows;
}

/** The action the spec's words call for; conditional rows also name the conditional action. */
function actionFromText(text: string): { action: string; conditional?: string } {
  if (text.includes('consider the _extended handshake completed_')) return { action: 'completed' };
  if (text.includes('replayed extended handshake request')) return { action: 'authenticate' };
  if (text.includes('attempt an opening handshake on')) {
    // 307: "If and only if the underlying HTTP method was a GET request ..."
    return /If and only if .*GET/.test(text)
      ? { action: 'conditional', conditional: 'redirect' }
      : { action: 'redirect' };
  }
  if (text.includes('Expect:')) return { action: 'conditional', conditional: 'continue' };
  if (/\bwait\b/.test(text)) return { action: 'wait' };
  return { action: 'close' };
}

describe('STATUS_CODES against the spec file', () => {
  if (specText === null) {
    if (process.env.CI) {
      it('finds the spec file (CI always has it)', () => {
        expect.fail(`Spec file not found at ${specPath}`);
      });
    } else {
      it.skip(`spec file not found at ${specPath}: the table was not checked against it`, () => {});
    }
    return;
  }
  const rows = specRows(specText);

  it('finds the section rows, each code once', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
  });

  it('lists exactly the codes of the spec section', () => {
    const table = Object.keys(STATUS_CODES)
      .map(Number)
      .sort((a, b) => a - b);
    expect(table).toEqual(rows.map((r) => r.code).sort((a, b) => a - b));
  });

  it.each(rows.map((r) => [r.code, r] as const))(
    '%i: action, reason and words agree with the spec',
    (code, row) => {
      const entry = STATUS_CODES[code];
      expect(entry).toBeDefined();
      const derived = actionFromText(row.action);
      expect(entry!.action).toBe(derived.action);
      expect(entry!.conditional?.action).toBe(derived.conditional);
      expect(normalise(entry!.specAction)).toBe(row.action);
      expect(row.title).toContain(entry!.reason);
    },
  );
});
