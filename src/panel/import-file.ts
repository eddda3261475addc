/** Reading a user-picked or dropped file into sockets. */
import type { ImportResult, PanelCore } from './store/core-port';

/** Largest file the panel accepts (a HAR of a long session can be big, but not unbounded). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/** Reads the file as JSON and hands it to the core's importer; all failures come back as `ok: false`. */
export async function readImportFile(file: Blob & { name?: string }, core: PanelCore): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, error: `File too large (${file.size} bytes).` };
  let text: string;
  try {
    text = await file.text();
  } catch (err) {
    return { ok: false, error: `Cannot read the file: ${err instanceof Error ? err.message : String(err)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    return core.importFile(json);
  } catch (err) {
    return { ok: false, error: `Cannot import: ${err instanceof Error ? err.message : String(err)}` };
  }
}
