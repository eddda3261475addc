/**
 * The suite's configuration for the reference server: where its scenarios live (docs/server.md) and
 * the demo credentials. `khp-inspect suite server <url> --config reference` uses it.
 */
import type { SuiteConfig } from '../protocol/suite/types';
import { DEMO_PASSWORD, DEMO_TOKEN, DEMO_USER } from './scenarios';

/** The reference server's paths and credentials, for the main path `/echo`. */
export function referenceSuiteConfig(quietMs = 300): SuiteConfig {
  return {
    paths: {
      main: null,
      basic: '/auth/basic',
      token: '/auth/token',
      redirect: '/redirect/1',
      loop: '/loop/a',
      many: '/redirect/6',
      balancer: '/balancer',
      status: '/status/{code}',
      split: '/split',
      idle: '/echo?timeout=600',
    },
    user: { name: DEMO_USER, password: DEMO_PASSWORD },
    token: DEMO_TOKEN,
    quietMs,
  };
}
