/**
 * The demo page: one button per reference-server scenario, driving the project's KHP client with the
 * browser's own WebSocket (so the extension's hook sees real traffic), and a text-only log of every
 * step. Nothing received is ever inserted as HTML.
 */
import { KhpClient, type KhpConnection, type KhpEvents } from '../client/khp-client';
import { describeEvent } from '../client/describe';
import { demoPlans, type DemoPlan } from './plans';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
const logList = $<HTMLOListElement>('log');
const stateEl = $<HTMLSpanElement>('state');
const sendBtn = $<HTMLButtonElement>('btn-send');
const closeBtn = $<HTMLButtonElement>('btn-close');
const messageInput = $<HTMLInputElement>('message');
const started = performance.now();

let connection: KhpConnection | null = null;
let client: KhpClient | null = null;
let plain: WebSocket | null = null;

$('ws-base').textContent = wsBase;

function log(event: string, text: string): void {
  const li = document.createElement('li');
  li.dataset.event = event;
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = `${((performance.now() - started) / 1000).toFixed(2)}s`;
  const name = document.createElement('span');
  name.className = 'event';
  name.textContent = event;
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  li.append(time, name, body);
  logList.append(li);
  logList.scrollTop = logList.scrollHeight;
}

function setState(state: 'idle' | 'working' | 'completed' | 'failed' | 'closed', text: string): void {
  stateEl.dataset.state = state;
  stateEl.textContent = text;
  document.body.dataset.state = state;
  const open = state === 'completed';
  sendBtn.disabled = !open;
  closeBtn.disabled = !open;
}

function planFor(scenario: string): DemoPlan | null {
  const code = Number($<HTMLInputElement>('status-code').value) || 403;
  return demoPlans(code)[scenario] ?? null;
}

function reset(): void {
  client?.abort('replaced by a new connection');
  void connection?.close(1000, 'replaced');
  plain?.close(1000, 'replaced');
  connection = null;
  client = null;
  plain = null;
}

const EVENTS: (keyof KhpEvents)[] = [
  'opening',
  'open',
  'balancer',
  'request',
  'response',
  'challenge',
  'redirect',
  'completed',
  'failed',
  'message',
  'ping',
  'close',
];

async function runScenario(scenario: string): Promise<void> {
  reset();
  if (scenario === 'plain') {
    runPlain();
    return;
  }
  const plan = planFor(scenario);
  if (!plan) return;
  const c = new KhpClient({
    url: wsBase + plan.path,
    WebSocket,
    extensions: plan.extensions ?? [],
    kl: $<HTMLInputElement>('opt-kl').checked,
    binary: $<HTMLInputElement>('opt-binary').checked,
    credentials: (challenge) => {
      if (challenge.scheme.toLowerCase() === 'token') return { token: $<HTMLInputElement>('token').value };
      return { user: $<HTMLInputElement>('user').value, password: $<HTMLInputElement>('password').value };
    },
  });
  client = c;
  for (const name of EVENTS) {
    c.on(name, (payload) => {
      if (client === c || name === 'close') log(name, describeEvent(name, payload));
    });
  }
  c.on('close', () => {
    if (client === c && connection) setState('closed', 'closed');
  });
  setState('working', `connecting to ${plan.path}`);
  try {
    const conn = await c.connect();
    if (client !== c) return;
    connection = conn;
    setState('completed', `open on ${new URL(conn.url).pathname}`);
  } catch (err) {
    if (client !== c) return;
    const code = (err as { code?: string }).code ?? 'error';
    setState('failed', `failed (${code})`);
  }
}

function runPlain(): void {
  const ws = new WebSocket(`${wsBase}/echo`);
  plain = ws;
  setState('working', 'plain WebSocket connecting');
  log('opening', `plain WebSocket ${ws.url} (no sub-protocol)`);
  ws.onopen = () => {
    log('open', 'plain WebSocket open; sending "hello"');
    ws.send('hello');
  };
  ws.onmessage = (ev) => {
    log('message', `echo: ${typeof ev.data === 'string' ? ev.data : 'binary'}`);
    ws.close(1000, 'done');
  };
  ws.onclose = (ev) => {
    log('close', `closed ${ev.code}`);
    if (plain === ws) setState('closed', 'plain socket closed');
  };
}

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-scenario]')) {
  button.addEventListener('click', () => void runScenario(button.dataset.scenario ?? ''));
}
sendBtn.addEventListener('click', () => {
  if (!connection) return;
  connection.send(messageInput.value);
  log('send', `sent "${messageInput.value}"`);
});
closeBtn.addEventListener('click', () => {
  void connection?.close(1000, 'closed by the user');
});
$('btn-clear').addEventListener('click', () => logList.replaceChildren());
setState('idle', 'idle');
