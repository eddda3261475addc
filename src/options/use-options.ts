/**
 * The options page's state and actions. Every change is saved at once (storage.local), then the
 * background is asked to apply it, and the status line says what is in effect; nothing waits for a
 * Save button. Site changes ask the browser first: `request` is the first call of each action that
 * needs a permission, so it runs within the click (see options-api.ts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_SITES, type Options } from '../settings/defaults';
import { addSite, describeSite, parseSite } from '../settings/sites';
import type { Applied, OptionsApi } from './options-api';

/** Which host permissions the browser holds: all sites, and each listed site. */
export interface Access {
  all: boolean;
  sites: Record<string, boolean>;
}

/** The status line: what just happened. `seq` counts the lines (tests wait on it). */
export interface Status {
  kind: 'saving' | 'saved' | 'error' | 'loading';
  text: string;
  seq: number;
}

const ALL = '<all_urls>';

/** One sentence on where capture happens now. */
export function describeCapture(options: Options, access: Access, applied: Applied | null): string {
  if (applied && 'error' in applied) return `The browser refused the capture scripts: ${applied.error}.`;
  if (options.siteMode === 'all')
    return access.all
      ? 'Capturing on every site.'
      : 'Set to every site, but the browser has not granted access to all sites: nothing is captured.';
  const n = options.sites.length;
  if (n === 0) return 'Capturing on no site: the list is empty.';
  const waiting = options.sites.filter((s) => !access.sites[s]).length;
  const sites = `${n} listed site${n === 1 ? '' : 's'}`;
  return waiting === 0
    ? `Capturing on ${sites} only.`
    : `Capturing on ${sites} only; ${waiting} of them still need${waiting === 1 ? 's' : ''} your permission.`;
}

async function accessOf(api: OptionsApi, options: Options): Promise<Access> {
  const sites: Record<string, boolean> = {};
  const all = await api.contains([ALL]);
  for (const s of options.sites) sites[s] = await api.contains([s]);
  return { all, sites };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The page's state and what the controls do. */
export function useOptions(api: OptionsApi) {
  const [options, setOptions] = useState<Options | null>(null);
  const [access, setAccess] = useState<Access>({ all: false, sites: {} });
  const [applied, setApplied] = useState<Applied | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'loading', text: 'Loading…', seq: 0 });
  const [siteError, setSiteError] = useState<string | null>(null);
  const current = useRef<Options | null>(null);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const seq = useRef(0);

  const say = (kind: Status['kind'], text: string) => setStatus({ kind, text, seq: ++seq.current });
  const show = (o: Options) => {
    current.current = o;
    setOptions(o);
  };
  const refreshAccess = async () => {
    if (current.current) setAccess(await accessOf(api, current.current));
  };

  /** Runs `task` after the tasks before it (saves land in the order they were made). */
  const queue = (task: () => Promise<void>) => {
    const next = chain.current.then(task).catch((err) => say('error', `Not saved: ${errorText(err)}`));
    chain.current = next;
    return next;
  };

  /**
   * Saves `next`, applies it, runs `then` (the permission change that goes with it), and says so and
   * what is in effect ("Saved: <what>. Capturing on …"). Runs inside a queued task.
   */
  const persist = async (next: Options, what: string, then?: () => Promise<void>) => {
    show(next);
    say('saving', 'Saving…');
    await api.save(next);
    const result = await api.apply();
    await then?.();
    const acc = await accessOf(api, next);
    setApplied(result);
    setAccess(acc);
    if ('error' in result) say('error', `Saved: ${what}, but ${describeCapture(next, acc, result)}`);
    else say('saved', `Saved: ${what}. ${describeCapture(next, acc, result)}`);
  };

  /** Shows `next` at once and saves it after the changes before it. */
  const commit = (next: Options, what: string) => {
    show(next);
    say('saving', 'Saving…');
    return queue(() => persist(next, what));
  };

  const reload = async () => {
    const o = await api.load();
    show(o);
    const acc = await accessOf(api, o);
    setAccess(acc);
    return { o, acc };
  };

  useEffect(() => {
    reload().then(
      ({ o, acc }) => say('saved', describeCapture(o, acc, null)),
      (err) => say('error', `Could not read the options: ${errorText(err)}`),
    );
    api.onExternalChange(() => void queue(async () => void (await reload())));
  }, []);

  const get = () => current.current!;

  return {
    options,
    access,
    applied,
    status,
    siteError,
    setPreserveLog: (on: boolean) =>
      commit({ ...get(), preserveLog: on }, `preserve log ${on ? 'on' : 'off'}`),
    setFullCapture: (on: boolean) =>
      commit({ ...get(), fullCapture: on }, `capture all frames ${on ? 'on' : 'off'}`),
    setFrameBudget: (n: number) =>
      get().frameBudget === n ? chain.current : commit({ ...get(), frameBudget: n }, `frame budget ${n}`),
    /** Says why a frame budget was not saved (the saved one stays in effect). */
    refuseFrameBudget: (error: string) =>
      say('error', `Frame budget not saved: ${error} ${get().frameBudget} stays in effect.`),
    /** "All sites": asks for every site (no prompt when it is granted already), then switches. */
    chooseAll: () => {
      const asked = api.request([ALL]);
      return queue(async () => {
        if (await asked) return persist({ ...get(), siteMode: 'all' }, 'all sites');
        await refreshAccess();
        say('error', 'The browser did not grant access to all sites: nothing changed.');
      });
    },
    /**
     * "Only these sites": switches, then gives back the permission for every site. Chrome takes the
     * listed sites' permissions with it; it gives them back without a prompt when asked while the
     * click still counts as a user gesture (Firefox keeps them, and would not take the late request).
     */
    chooseListed: () =>
      queue(() =>
        persist({ ...get(), siteMode: 'listed' }, 'only listed sites', async () => {
          await api.remove([ALL]);
          const missing: string[] = [];
          for (const s of get().sites) if (!(await api.contains([s]))) missing.push(s);
          if (missing.length > 0) await api.request(missing).catch(() => false);
        }),
      ),
    /**
     * Adds what the user typed: parsed and checked, then the browser is asked for that site; false
     * (and `siteError`) when the input is refused before asking.
     */
    addSite: (input: string): boolean => {
      const parsed = parseSite(input);
      const added = parsed.ok ? addSite(get().sites, parsed.pattern, MAX_SITES) : parsed;
      if (!parsed.ok || !added.ok) {
        setSiteError(added.ok ? null : added.error);
        return false;
      }
      setSiteError(null);
      const name = describeSite(parsed.pattern);
      const asked = api.request([parsed.pattern]);
      void queue(async () => {
        if (!(await asked)) {
          setSiteError(`The browser did not grant access to ${name}: not added.`);
          return say('error', `${name} not added: no permission.`);
        }
        // Checked again against the list as it is now (a change queued before this one may have landed).
        const now = addSite(get().sites, parsed.pattern, MAX_SITES);
        if (now.ok) return persist({ ...get(), sites: now.sites }, `${name} added`);
        setSiteError(now.error);
        say('error', `${name} not added: ${now.error}`);
      });
      return true;
    },
    /** Asks again for a listed site the browser does not grant (e.g. withdrawn in its settings). */
    allowSite: (pattern: string) => {
      const asked = api.request([pattern]);
      return queue(async () => {
        const ok = await asked;
        await refreshAccess();
        const name = describeSite(pattern);
        say(ok ? 'saved' : 'error', ok ? `${name} allowed.` : `${name}: the browser did not grant access.`);
      });
    },
    /** Takes a site off the list, then gives its permission back. */
    removeSite: (pattern: string) =>
      queue(() =>
        persist(
          { ...get(), sites: get().sites.filter((s) => s !== pattern) },
          `${describeSite(pattern)} removed`,
          async () => {
            await api.remove([pattern]);
          },
        ),
      ),
  };
}

export type OptionsModel = ReturnType<typeof useOptions>;
