/**
 * The isolated content script (entry point): links to the hook, wires it and a runtime port to `Relay`.
 * Test builds use `TestRelay`, which also answers the page's test queries (build-flags.ts).
 */
import { connectPort, onRuntimeMessage } from '../platform/content-runtime';
import { linkToHook } from './hook-link';
import { Relay, type RelayDeps } from './relay-core';
import { testRelay } from './test-relay';

const deps: RelayDeps = {
  connect: connectPort,
  docId: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
  frameUrl: location.href,
  top: window === window.top,
};
// The production relay reads no window message: only the test relay listens to the page.
const relay = __KHP_TEST__ ? testRelay(deps, window) : new Relay(deps);
const port = linkToHook(window);
if (port) {
  relay.attachHook({
    postMessage: (m: unknown) => port.postMessage(m),
    onMessage: (fn: (m: unknown) => void) => void (port.onmessage = (e) => fn(e.data)),
  });
}
onRuntimeMessage((message) => relay.onRuntimeMessage(message));
relay.start();
