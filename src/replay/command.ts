/**
 * From a checked draft to the command the page runner executes, and the preview the confirm step
 * shows: exactly what will be sent (URL, protocols, request text, the answer to a 401) and which
 * captured credentials were left out.
 */
import type { Header } from '../protocol/model';
import { authorizationOf } from './auth';
import { draftParts, requestText } from './draft';
import { replayMarker } from './marker';
import type { Issue, ReplayDraft, RunnerCommand } from './types';
import { canSend, validateDraft } from './validate';

/** How long a replay socket waits for its extended response before giving up. */
export const RESPONSE_TIMEOUT_MS = 15_000;

/** What the confirm step shows. */
export interface ReplayPreview {
  url: string;
  protocols: string[];
  request: string;
  binary: boolean;
  /** The `Authorization` sent in answer to a 401, or null. */
  answer401: string | null;
  /** Captured credential headers not sent (empty when the user kept them). */
  removed: Header[];
  /** Captured credential headers sent because the user kept them. */
  keptCaptured: Header[];
  /** The capture's answer to a 401 (an `Authorization`) exists and is not used. */
  answerRemoved: boolean;
  followRedirects: boolean;
  maxRedirects: number;
  answerPings: boolean;
  keepOpen: boolean;
}

/** The preview of a draft (its request must parse: check `validateDraft` first). */
export function previewDraft(draft: ReplayDraft): ReplayPreview | null {
  const parts = draftParts(draft);
  if (!parts) return null;
  const o = draft.options;
  const keep = o.keepCapturedCredentials;
  const headers = keep ? [...parts.headers, ...draft.capturedCredentials] : parts.headers;
  return {
    url: draft.url.trim(),
    protocols: [...draft.protocols],
    request: requestText({ ...parts, headers }),
    binary: draft.binary,
    answer401: authorizationOf(o.answer401) ?? (keep ? draft.capturedAnswer : null),
    removed: keep ? [] : [...draft.capturedCredentials],
    keptCaptured: keep ? [...draft.capturedCredentials] : [],
    answerRemoved: draft.capturedAnswer !== null && !keep,
    followRedirects: o.followRedirects,
    maxRedirects: o.followRedirects ? o.maxRedirects : 0,
    answerPings: o.answerPings,
    keepOpen: o.keepOpen,
  };
}

/** The runner command for a draft, or the issues that block it. */
export function buildCommand(
  draft: ReplayDraft,
): { ok: true; command: RunnerCommand; preview: ReplayPreview } | { ok: false; issues: Issue[] } {
  const issues = validateDraft(draft);
  const preview = canSend(issues) ? previewDraft(draft) : null;
  if (!preview) return { ok: false, issues };
  return {
    ok: true,
    preview,
    command: {
      replayOf: draft.replayOf,
      url: preview.url,
      protocols: preview.protocols,
      request: preview.request,
      binary: preview.binary,
      followRedirects: preview.followRedirects,
      maxRedirects: preview.maxRedirects,
      authorization: preview.answer401,
      answerPings: preview.answerPings,
      keepOpen: preview.keepOpen,
      timeoutMs: RESPONSE_TIMEOUT_MS,
      marker: replayMarker(draft.replayOf),
    },
  };
}
