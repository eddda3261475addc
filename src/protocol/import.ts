/**
 * One entry point for every file the tool reads: it sniffs whether the JSON is a HAR log or the
 * project's capture file and hands it to the right reader. Used by `khp-inspect decode` and by the
 * panel's "Import" button.
 */
import type { CapturedSocket } from './capture';
import { ImportError, isCaptureFile, readCaptureFileWithWarnings, type ImportResult } from './capture-file';
import { importHar } from './har';

export { ImportError, type ImportResult } from './capture-file';

/** The kinds of file `importFile` understands. */
export type ImportKind = 'har' | 'capture';

/** What `importFile` read, and as what. */
export interface ImportedFile extends ImportResult {
  kind: ImportKind;
  sockets: CapturedSocket[];
}

/** Tells which reader fits `json`, or null when it is neither a HAR log nor a capture file. */
export function sniffKind(json: unknown): ImportKind | null {
  if (isCaptureFile(json)) return 'capture';
  if (typeof json === 'object' && json !== null && 'log' in json) return 'har';
  return null;
}

/** Reads already-parsed JSON as a HAR log or a capture file. Throws `ImportError` otherwise. */
export function importJson(json: unknown): ImportedFile {
  const kind = sniffKind(json);
  if (kind === 'capture') return { kind, ...readCaptureFileWithWarnings(json) };
  if (kind === 'har') return { kind, ...importHar(json) };
  throw new ImportError('neither a HAR file nor a KHP Inspector capture file');
}

/**
 * Reads the text of a file (a byte-order mark is allowed). Throws `ImportError` with a one-line
 * reason when it is not JSON, or not a HAR or capture file.
 */
export function importFile(text: string): ImportedFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new ImportError('the file is empty');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    // The engine's message may quote the input, line breaks included: keep it on one line.
    const detail = (err instanceof Error ? err.message : String(err)).replace(/\r?\n/g, '\\n');
    throw new ImportError(`not JSON (${detail})`);
  }
  return importJson(json);
}
