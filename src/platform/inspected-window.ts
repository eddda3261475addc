/**
 * `devtools.inspectedWindow.eval` for the panel: evaluates an expression in the inspected page's
 * top frame, in the page's own JavaScript context (Chrome and Firefox alike). Only DevTools pages can
 * call it; the page has no way to ask for an evaluation.
 */
import { browser } from './browser';

/** What an evaluation gave: the value (JSON-safe), or why it failed. */
export type PageEvalResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Evaluates `code` in the inspected page. Never rejects. */
export async function evalInInspectedWindow(code: string): Promise<PageEvalResult> {
  try {
    const [value, exception] = (await browser.devtools.inspectedWindow.eval(code)) as [
      unknown,
      { isException?: boolean; isError?: boolean; value?: unknown; description?: string } | undefined,
    ];
    if (exception && (exception.isException || exception.isError)) {
      const detail = exception.description ?? (exception.value === undefined ? '' : String(exception.value));
      return { ok: false, error: detail || 'the page could not evaluate the expression' };
    }
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
