/**
 * Where the capture scripts run. The hook (MAIN world) and the relay (isolated) are registered at
 * run time with `scripting.registerContentScripts`, for the patterns the options give (every site, or
 * the listed ones), instead of being declared in the manifest for every site: a page outside them
 * gets neither script. The browser injects registered scripts at `document_start` like declared ones,
 * the hook first (registration order), before any page script, so the hook and the relay still link
 * synchronously (hook/channel.ts). Scripts run only where the extension also holds the host
 * permission; the options page asks for it (it needs a user gesture), this module does not.
 */

/** The part of `scripting` used here (a fake in unit tests). */
export interface ScriptingApi {
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<RegisteredScript[]>;
  registerContentScripts(scripts: RegisteredScript[]): Promise<unknown>;
  updateContentScripts(scripts: RegisteredScript[]): Promise<unknown>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<unknown>;
}

/** A registered content script, as both browsers describe one. */
export interface RegisteredScript {
  id: string;
  js?: string[];
  matches?: string[];
  runAt?: 'document_start' | 'document_end' | 'document_idle';
  allFrames?: boolean;
  matchOriginAsFallback?: boolean;
  persistAcrossSessions?: boolean;
  world?: 'ISOLATED' | 'MAIN';
}

export const HOOK_SCRIPT_ID = 'khp-hook';
export const RELAY_SCRIPT_ID = 'khp-relay';
const IDS = [HOOK_SCRIPT_ID, RELAY_SCRIPT_ID];

/**
 * The two capture scripts for `matches`, the hook first: what the manifest used to declare
 * (`match_origin_as_fallback` also covers about:blank and srcdoc frames of a matched page).
 */
export function captureScripts(matches: string[]): RegisteredScript[] {
  const common = {
    matches,
    runAt: 'document_start',
    allFrames: true,
    matchOriginAsFallback: true,
    persistAcrossSessions: true,
  } as const;
  return [
    { id: HOOK_SCRIPT_ID, js: ['hook.js'], world: 'MAIN', ...common },
    { id: RELAY_SCRIPT_ID, js: ['relay.js'], world: 'ISOLATED', ...common },
  ];
}

const same = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b![i]);

function sameScript(have: RegisteredScript, want: RegisteredScript): boolean {
  return (
    same(have.matches, want.matches) &&
    same(have.js, want.js) &&
    (have.world ?? 'ISOLATED') === want.world &&
    have.runAt === want.runAt &&
    have.allFrames === want.allFrames &&
    have.matchOriginAsFallback === want.matchOriginAsFallback &&
    have.persistAcrossSessions !== false
  );
}

/**
 * Makes the registered capture scripts match `matches` (none: unregistered), changing only what
 * differs: both present are updated in place (no moment without them), anything else is replaced.
 * Returns the patterns registered.
 */
export async function registerCapture(api: ScriptingApi, matches: string[]): Promise<string[]> {
  const have = await api.getRegisteredContentScripts({ ids: IDS });
  const want = matches.length > 0 ? captureScripts(matches) : [];
  const byId = new Map(have.map((s) => [s.id, s]));
  if (want.length === 0) {
    if (have.length > 0) await api.unregisterContentScripts({ ids: have.map((s) => s.id) });
    return [];
  }
  if (want.every((w) => byId.has(w.id) && sameScript(byId.get(w.id)!, w))) return matches;
  if (want.every((w) => byId.has(w.id))) {
    await api.updateContentScripts(want);
    return matches;
  }
  if (have.length > 0) await api.unregisterContentScripts({ ids: have.map((s) => s.id) });
  await api.registerContentScripts(want);
  return matches;
}

/** Runs `registerCapture` one call at a time, in the order asked. */
export class SiteAccess {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly api: ScriptingApi) {}

  /** Registers the capture scripts for `matches`; resolves to the patterns registered (or the error). */
  apply(matches: string[]): Promise<{ registered: string[] } | { error: string }> {
    const done = this.queue.then(() =>
      registerCapture(this.api, matches).then(
        (registered) => ({ registered }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      ),
    );
    this.queue = done;
    return done;
  }
}
