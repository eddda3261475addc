/**
 * `devtools.inspectedWindow.eval` for the panel: evaluates an expression in the inspected page's
 * top frame, in the page's own JavaScript context (Chrome and Firefox alike). Only DevTools pages can
 * call it; the page has no way to ask for an evaluation.
 *
 * The callback form `(result, exceptionInfo)` is used where it exists (both browsers keep it on
 * `chrome.devtools`): the promise forms differ (Firefox resolves to `[result, exceptionInfo]`,
 * Chrome's native `browser` namespace to the result alone), so they cannot be read the same way.
 */
import { browser } from './browser';

/** What an evaluation gave: the value (JSON-safe), or why it failed. */
export type PageEvalResult = { ok: true; value: unknown } | { ok: false; error: string };

interface ExceptionInfo {
  isException?: boolean;
  isError?: boolean;
  value?: unknown;
  description?: string;
  code?: string;
}

type CallbackEval = (code: string, callback: (result: unknown, exception?: ExceptionInfo) => void) => void;

function outcome(value: unknown, exception: ExceptionInfo | null | undefined): PageEvalResult {
  if (exception && (exception.isException || exception.isError)) {
    const detail = exception.description ?? (exception.value === undefined ? '' : String(exception.value));
    return { ok: false, error: detail || exception.code || 'the page could not evaluate the expression' };
  }
  return { ok: true, value };
}

/** Evaluates `code` in the inspected page. Never rejects. */
export async function evalInInspectedWindow(code: string): Promise<PageEvalResult> {
  try {
    const g = globalThis as { chrome?: { devtools?: { inspectedWindow?: { eval?: CallbackEval } } } };
    const inspected = g.chrome?.devtools?.inspectedWindow;
    if (inspected && typeof inspected.eval === 'function') {
      return await new Promise<PageEvalResult>((resolve) => {
        inspected.eval!(code, (result, exception) => resolve(outcome(result, exception)));
      });
    }
    const result = (await browser.devtools.inspectedWindow.eval(code)) as unknown;
    if (Array.isArray(result) && result.length === 2) return outcome(result[0], result[1] as ExceptionInfo);
    return { ok: true, value: result };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
