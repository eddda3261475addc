/** The isolated content script (entry point): links to the hook, wires it and a runtime port to `Relay`. */
import { connectPort, onRuntimeMessage } from '../platform/content-runtime';
import { TEST_BUILD } from '../platform/build-flags';
import { linkToHook } from './hook-link';
import { Relay } from './relay-core';

const relay = new Relay({
  connect: connectPort,
  postToPage: (message) => window.postMessage(message, '*'),
  docId: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
  frameUrl: location.href,
  top: window === window.top,
  testQueries: TEST_BUILD,
});
const port = linkToHook(window);
if (port) {
  relay.attachHook({
    postMessage: (m: unknown) => port.postMessage(m),
    onMessage: (fn: (m: unknown) => void) => void (port.onmessage = (e) => fn(e.data)),
  });
}
// Test builds only: the page asks the background questions (the production relay reads no window message).
if (TEST_BUILD)
  window.addEventListener('message', (event) => relay.onWindowMessage(event.data, event.source === window));
onRuntimeMessage((message) => relay.onRuntimeMessage(message));
relay.start();
