/** The isolated content script (entry point): wires the page's window and a runtime port to `Relay`. */
import { connectPort, onRuntimeMessage } from '../platform/content-runtime';
import { TEST_BUILD } from '../platform/build-flags';
import { Relay } from './relay-core';

const relay = new Relay({
  connect: connectPort,
  postToPage: (message) => window.postMessage(message, '*'),
  docId: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
  frameUrl: location.href,
  top: window === window.top,
  testQueries: TEST_BUILD,
});
window.addEventListener('message', (event) => {
  const port = event.ports[0];
  const hookPort = port && {
    postMessage: (m: unknown) => port.postMessage(m),
    onMessage: (fn: (m: unknown) => void) => void (port.onmessage = (e) => fn(e.data)),
  };
  relay.onWindowMessage(event.data, event.source === window, hookPort);
});
onRuntimeMessage((message) => relay.onRuntimeMessage(message));
relay.start();
