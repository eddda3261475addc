/**
 * Rewrites the generated parts of docs/suite.md from the suite's model: the case list, the verdicts
 * and the misbehaviours (between their `<!-- name:start -->` and `<!-- name:end -->` markers), then
 * formats the file with Prettier. test/unit/suite/suite-doc.test.ts checks the file matches.
 * Run: node --import tsx scripts/suite-doc.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import prettier from 'prettier';
import { suiteDocBlocks, withBlocks } from './suite-doc-blocks';

const file = new URL('../docs/suite.md', import.meta.url);
const text = withBlocks(readFileSync(file, 'utf8'), suiteDocBlocks());
const options = (await prettier.resolveConfig(file.pathname)) ?? {};
writeFileSync(file, await prettier.format(text, { ...options, parser: 'markdown' }));
console.log('docs/suite.md rewritten');
