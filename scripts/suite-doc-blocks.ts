/** The generated blocks of docs/suite.md (scripts/suite-doc.ts writes them, test/unit/suite/suite-doc.test.ts checks them). */
import { CLIENT_CASES, SERVER_CASES, caseListMarkdown } from '../src/protocol/suite/catalogue';
import { CLOSE_MEANING, CLOSE_VERDICTS, VERDICTS, VERDICT_MEANING } from '../src/protocol/suite/types';
import { MISBEHAVIOURS } from '../src/server/misbehave';

/** Block name → Markdown. */
export function suiteDocBlocks(): Record<string, string> {
  const verdicts = [
    '| Verdict | Meaning |',
    '| --- | --- |',
    ...VERDICTS.map((v) => `| ${v} | ${VERDICT_MEANING[v]} |`),
    '',
    '| Close verdict | Meaning |',
    '| --- | --- |',
    ...CLOSE_VERDICTS.map((v) => `| ${v} | ${CLOSE_MEANING[v]} |`),
  ].join('\n');
  const misbehave = [
    '| `--misbehave` | What the server then does | Cases that FAIL |',
    '| --- | --- | --- |',
    ...Object.entries(MISBEHAVIOURS).map(
      ([name, info]) => `| \`${name}\` | ${info.description} | ${info.breaks.join(', ')} |`,
    ),
  ].join('\n');
  return {
    cases: caseListMarkdown(SERVER_CASES).trim(),
    'client-cases': caseListMarkdown(CLIENT_CASES).trim(),
    verdicts,
    misbehave,
  };
}

/** `doc` with each block's text put between its markers. */
export function withBlocks(doc: string, blocks: Record<string, string>): string {
  let out = doc;
  for (const [name, body] of Object.entries(blocks)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/suite.md lacks the ${name} markers`);
    out = `${out.slice(0, from + start.length)}\n\n${body}\n\n${out.slice(to)}`;
  }
  return out;
}

/** Markdown with table padding and blank-line runs flattened, for comparing generated and formatted text. */
export function flatten(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').replace(/-{3,}/g, '---').trim())
    .filter(Boolean)
    .join('\n');
}
