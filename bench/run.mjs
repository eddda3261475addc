/**
 * `npm run bench`: runs bench/main.ts under tsx in a child Node with `--expose-gc` (the decoder and
 * memory sections collect garbage between rounds), forwarding arguments, output and exit code.
 *
 *   npm run bench                        every section
 *   npm run bench -- --only decoder      one section (decoder, search, witness, overhead, panel, memory; comma list)
 *   npm run bench -- --quick             smaller counts, for a smoke run
 *   npm run bench -- --rounds 9          more alternation rounds in the overhead section
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(
  process.execPath,
  ['--expose-gc', '--import', 'tsx', join(here, 'main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: join(here, '..') },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
