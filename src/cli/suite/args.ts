/**
 * The arguments and the JSON config of `khp-inspect suite server` (docs/suite.md, "Configuration").
 * Options win over the config file; the config file names the paths of the peer's scenarios.
 */
import { readFileSync, statSync } from 'node:fs';
import { isPattern } from '../../protocol/suite/catalogue';
import { PATH_KEYS, type PathKey, type SuiteConfig } from '../../protocol/suite/types';
import { referenceSuiteConfig } from '../../server/suite-config';
import { walkArgs } from '../args';
import { InputError, UsageError } from '../io';

/** Parsed `suite server` arguments. */
export interface SuiteArgs {
  url: string;
  include: string[];
  exclude: string[];
  list: boolean;
  timeoutMs: number;
  config: SuiteConfig;
  agent: string;
  out: string | null;
  json: boolean;
  jobs: number;
  showCredentials: boolean;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** `500`, `500ms` or `2s` as milliseconds (100 ms to 10 minutes). */
export function parseMs(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const n = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
  if (!Number.isFinite(n) || n < 100 || n > 600_000) {
    throw new UsageError(`${flag} wants milliseconds from 100 to 600000 (e.g. 5000, 5s), got '${value}'`);
  }
  return n;
}

export function patterns(flag: string, value: string): string[] {
  const list = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = list.find((p) => !isPattern(p));
  if (bad !== undefined || list.length === 0)
    throw new UsageError(`${flag} wants case patterns such as 3.*, 3 or 2.4, got '${value}'`);
  return list;
}

function userOf(value: string, where: string): { name: string; password: string } {
  const colon = value.indexOf(':');
  if (colon < 0) throw new UsageError(`${where} wants name:password`);
  return { name: value.slice(0, colon), password: value.slice(colon + 1) };
}

/** A config with no paths but the main one, no credentials. */
export function emptyConfig(): SuiteConfig {
  const paths = Object.fromEntries(PATH_KEYS.map((k) => [k, null])) as Record<PathKey, string | null>;
  return { paths, user: null, token: null, quietMs: 300 };
}

/** The config file's content, checked; unknown keys are refused so a typo does not pass silently. */
interface ConfigFile {
  config: SuiteConfig;
  cases?: string[];
  exclude?: string[];
  timeoutMs?: number;
  agent?: string;
}

/** Reads `--config file.json` (or `reference`, the reference server's paths). */
export function readConfig(source: string): ConfigFile {
  if (source === 'reference') return { config: referenceSuiteConfig() };
  let raw: unknown;
  try {
    if (!statSync(source).isFile()) throw new Error('not a regular file');
    raw = JSON.parse(readFileSync(source, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read the config ${source}: ${(err as Error).message}`);
  }
  const bad = (why: string): never => {
    throw new InputError(`config ${source}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('not a JSON object');
  const obj = raw as Record<string, unknown>;
  const out: ConfigFile = { config: emptyConfig() };
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'paths') {
      if (typeof value !== 'object' || value === null) bad('"paths" is an object of path names');
      for (const [name, path] of Object.entries(value as object)) {
        if (!(PATH_KEYS as readonly string[]).includes(name) || name === 'main')
          bad(`unknown path "${name}" (known: ${PATH_KEYS.slice(1).join(', ')})`);
        if (path !== null && typeof path !== 'string') bad(`path "${name}" is a string or null`);
        out.config.paths[name as PathKey] = path as string | null;
      }
    } else if (key === 'user') {
      if (typeof value !== 'string') bad('"user" is "name:password"');
      out.config.user = userOf(value as string, `config ${source}: "user"`);
    } else if (key === 'token') {
      if (typeof value !== 'string') bad('"token" is a string');
      out.config.token = value as string;
    } else if (key === 'cases' || key === 'exclude') {
      if (!Array.isArray(value) || !value.every((p) => typeof p === 'string' && isPattern(p)))
        bad(`"${key}" is a list of case patterns`);
      out[key] = value as string[];
    } else if (key === 'timeout') {
      if (typeof value !== 'number' || value < 100 || value > 600_000)
        bad('"timeout" is milliseconds, 100 to 600000');
      out.timeoutMs = value as number;
    } else if (key === 'quietMs') {
      if (typeof value !== 'number' || value < 10 || value > 60_000)
        bad('"quietMs" is milliseconds, 10 to 60000');
      out.config.quietMs = value as number;
    } else if (key === 'agent') {
      if (typeof value !== 'string' || value === '') bad('"agent" is a name');
      out.agent = value as string;
    } else bad(`unknown key "${key}"`);
  }
  return out;
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`not a URL: '${url}'`);
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:')
    throw new UsageError(`not a ws:// or wss:// URL: '${url}'`);
}

/** Parses the arguments after `suite server`; 'help' for --help. */
export function parseSuiteArgs(args: string[]): SuiteArgs | 'help' {
  let url = '';
  const include: string[] = [];
  const exclude: string[] = [];
  let list = false;
  let timeoutMs: number | undefined;
  let configFile: string | undefined;
  let user: string | undefined;
  let token: string | undefined;
  let agent: string | undefined;
  let out: string | null = null;
  let json = false;
  let jobs = 1;
  let showCredentials = false;
  const help = walkArgs(args, ({ arg, flag, value }) => {
    if (flag === '--help' || flag === '-h') return 'stop';
    else if (flag === '--cases') include.push(...patterns(flag, value()));
    else if (flag === '--exclude') exclude.push(...patterns(flag, value()));
    else if (flag === '--list') list = true;
    else if (flag === '--timeout') timeoutMs = parseMs(flag, value());
    else if (flag === '--config') configFile = value();
    else if (flag === '--user') user = value();
    else if (flag === '--token') token = value();
    else if (flag === '--agent') agent = value();
    else if (flag === '--out') out = value();
    else if (flag === '--json') json = true;
    else if (flag === '--show-credentials') showCredentials = true;
    else if (flag === '--jobs') {
      const v = value();
      jobs = Number(v);
      if (!/^\d+$/.test(v) || jobs < 1 || jobs > 16)
        throw new UsageError(`--jobs wants a number from 1 to 16, got '${v}'`);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
    else if (url) throw new UsageError(`one URL at a time ('${url}' and '${arg}' given)`);
    else url = arg;
  });
  if (help) return 'help';
  if (!url && !list) throw new UsageError('which server? usage: khp-inspect suite server <ws-url>');
  if (url) checkUrl(url);
  const file = configFile === undefined ? { config: emptyConfig() } : readConfig(configFile);
  const config = file.config;
  if (user !== undefined) config.user = userOf(user, '--user');
  if (token !== undefined) config.token = token;
  return {
    url,
    include: include.length ? include : (file.cases ?? []),
    exclude: [...exclude, ...(file.exclude ?? [])],
    list,
    timeoutMs: timeoutMs ?? file.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    config,
    agent: agent ?? file.agent ?? (url ? new URL(url).host : 'agent'),
    out,
    json,
    jobs,
    showCredentials,
  };
}
