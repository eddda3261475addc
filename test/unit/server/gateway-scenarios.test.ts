import { describe, expect, it } from 'vitest';
import { N_BYTES, PING_TEXT, PONG_TEXT, RawClient, request } from './raw-client';
import { useServer } from './server-harness';

const harness = useServer({ port: 0, mode: 'gateway', closeGraceMs: 300 });
const open = harness.open;

const EMPTY = { data: Buffer.alloc(0), binary: true };
const BASIC_OK = `Authorization: Basic ${Buffer.from('joe:welcome').toString('base64')}`;

describe('gateway mode, .kl=Y', () => {
  it(
    '/echo: N, 101 with one extensions line each, terminator, N, then echoes',
    { timeout: 5000 },
    async () => {
      const c = await open('/echo?.kl=Y');
      expect(await c.frame(0)).toEqual({ data: N_BYTES, binary: true });
      c.send(request('/echo', ['Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong']));
      const response = await c.frame(1);
      expect(response.binary).toBe(true);
      const text = response.data.toString();
      expect(text.startsWith('HTTP/1.1 101 Web Socket Protocol Handshake\r\n')).toBe(true);
      expect(text.endsWith('\r\n\r\n')).toBe(true);
      const lines = text.split('\r\n');
      expect(lines).toContain('Sec-WebSocket-Extensions: x-kaazing-idle-timeout; timeout=30000');
      expect(lines).toContain('Sec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102');
      expect(lines).toContain('Connection: Upgrade');
      expect(lines).toContain('Upgrade: websocket');
      expect(lines.some((l) => l.startsWith('Date: '))).toBe(true);
      const accept = lines.find((l) => l.startsWith('Sec-WebSocket-Accept: '));
      expect(accept).toMatch(/^Sec-WebSocket-Accept: [A-Za-z0-9+/]{27}=$/);
      expect(await c.frame(2)).toEqual(EMPTY);
      expect(await c.frame(3)).toEqual({ data: N_BYTES, binary: true });
      c.send('hello');
      expect(await c.frame(4)).toEqual({ data: Buffer.from('hello'), binary: false });
      c.send(Buffer.from([0, 1, 2, 255]));
      expect(await c.frame(5)).toEqual({ data: Buffer.from([0, 1, 2, 255]), binary: true });
      // Extended ping from the client gets a pong; pongs are consumed, not echoed.
      c.send(PING_TEXT);
      expect(await c.frame(6)).toEqual({ data: Buffer.from(PONG_TEXT), binary: false });
      c.send(PONG_TEXT);
      // Escaped data: the prefix alone, then data starting with the prefix, echoed escaped.
      c.send('\x01\x01\x01\x02');
      c.send('\x01\x01\x01\x02data');
      expect(await c.frame(7)).toEqual({ data: Buffer.from('\x01\x01\x01\x02'), binary: false });
      expect(await c.frame(8)).toEqual({ data: Buffer.from('\x01\x01\x01\x02data'), binary: false });
      expect(c.frames).toHaveLength(9);
    },
  );

  it('repeats the opening Sec-WebSocket-Accept on the 101', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    const accept = c.openingHeaders['sec-websocket-accept'];
    expect(accept).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    c.send(request('/echo'));
    const text = (await c.frame(1)).data.toString();
    expect(text).toContain(`Sec-WebSocket-Accept: ${String(accept)}\r\n`);
    expect(text).not.toContain('Sec-WebSocket-Extensions');
  });

  it(
    'keeps an idle-timeout link alive with extended pings when ping-pong is granted',
    { timeout: 5000 },
    async () => {
      const c = await open('/echo?timeout=400&.kl=Y');
      c.send(
        request('/echo?timeout=400', [
          'Sec-WebSocket-Extensions: x-kaazing-idle-timeout, x-kaazing-ping-pong',
        ]),
      );
      expect((await c.frame(1)).data.toString()).toContain('x-kaazing-idle-timeout; timeout=400\r\n');
      await c.until(
        () => c.frames.some((f) => f.data.toString() === PING_TEXT && !f.binary),
        'extended ping',
        2000,
      );
    },
  );

  it('uses standard pings when only idle-timeout is granted', { timeout: 5000 }, async () => {
    const c = await open('/echo?timeout=300&.kl=Y');
    c.send(request('/echo?timeout=300', ['Sec-WebSocket-Extensions: x-kaazing-idle-timeout']));
    await c.frame(3);
    await c.until(() => c.pings > 0, 'a standard ping', 2000);
    expect(c.frames.some((f) => f.data.toString() === PING_TEXT)).toBe(false);
  });

  it(
    '/auth/basic: 401 with Application Basic, terminator after each; 101 with the right password',
    { timeout: 5000 },
    async () => {
      const c = await open('/auth/basic?.kl=Y');
      c.send(request('/auth/basic'));
      const challenge = (await c.frame(1)).data.toString();
      expect(challenge).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
      expect(challenge).toContain('WWW-Authenticate: Application Basic realm="KHP Inspector demo"\r\n');
      expect(challenge).toContain('Content-Type: text/html\r\n');
      const body = challenge.split('\r\n\r\n')[1] ?? '';
      expect(challenge).toContain(`Content-Length: ${Buffer.byteLength(body)}\r\n`);
      expect(body).toContain('<html>');
      expect(await c.frame(2)).toEqual(EMPTY);
      c.send(request('/auth/basic', [BASIC_OK]));
      expect((await c.frame(3)).data.toString()).toMatch(/^HTTP\/1\.1 101 /);
      expect(await c.frame(4)).toEqual(EMPTY);
      expect(await c.frame(5)).toEqual({ data: N_BYTES, binary: true });
    },
  );

  it('/auth/basic: three wrong answers give 403 and a close', { timeout: 5000 }, async () => {
    const c = await open('/auth/basic?.kl=Y');
    c.send(request('/auth/basic'));
    const wrong = `Authorization: Basic ${Buffer.from('joe:nope').toString('base64')}`;
    await c.frame(2);
    c.send(request('/auth/basic', [wrong]));
    await c.frame(4);
    c.send(request('/auth/basic', [wrong]));
    await c.frame(6);
    expect(c.text(3)).toMatch(/^HTTP\/1\.1 401 /);
    expect(c.text(5)).toMatch(/^HTTP\/1\.1 401 /);
    c.send(request('/auth/basic', [wrong]));
    expect((await c.frame(7)).data.toString()).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(await c.frame(8)).toEqual(EMPTY);
    expect((await c.closed()).code).toBe(1011);
  });

  it('/auth/token: Application Token, then the token joe:welcome', { timeout: 5000 }, async () => {
    const c = await open('/auth/token?.kl=Y');
    c.send(request('/auth/token'));
    expect((await c.frame(1)).data.toString()).toContain('WWW-Authenticate: Application Token');
    c.send(request('/auth/token', ['Authorization: Token joe:welcome']));
    expect((await c.frame(3)).data.toString()).toMatch(/^HTTP\/1\.1 101 /);
  });

  it('/redirect/2: 302 to an absolute http Location, terminator, close 1000', { timeout: 5000 }, async () => {
    const c = await open('/redirect/2?.kl=Y');
    c.send(request('/redirect/2'));
    const text = (await c.frame(1)).data.toString();
    expect(text).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
    expect(text).toContain(`Location: http://127.0.0.1:${harness.server.port}/redirect/1\r\n`);
    expect(await c.frame(2)).toEqual(EMPTY);
    expect((await c.closed()).code).toBe(1000);
    expect(c.frames).toHaveLength(3);
  });

  it('/redirect/0 goes to /echo; /loop/a and /loop/b point at each other', { timeout: 5000 }, async () => {
    const locations: string[] = [];
    for (const path of ['/redirect/0', '/loop/a', '/loop/b']) {
      const c = await open(`${path}?.kl=Y`);
      c.send(request(path));
      locations.push(/Location: (\S+)/.exec((await c.frame(1)).data.toString())?.[1] ?? '');
    }
    const base = `http://127.0.0.1:${harness.server.port}`;
    expect(locations).toEqual([`${base}/echo`, `${base}/loop/b`, `${base}/loop/a`]);
  });

  it('/balancer: completes, then sends U+F0FF R with the ws URL of /echo', { timeout: 5000 }, async () => {
    const c = await open('/balancer?.kl=Y');
    c.send(request('/balancer'));
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 101 /);
    const r = await c.frame(3);
    expect(r.binary).toBe(true);
    expect(r.data).toEqual(
      Buffer.concat([
        Buffer.from([0xef, 0x83, 0xbf, 0x52]),
        Buffer.from(`ws://127.0.0.1:${harness.server.port}/echo`),
      ]),
    );
  });

  it('/split: the 101 arrives in several messages, then the terminator', { timeout: 5000 }, async () => {
    const c = await open('/split?.kl=Y');
    c.send(request('/split'));
    await c.until(
      () => c.frames.length > 1 && c.frames.slice(1).some((f) => f.data.length === 0),
      'terminator',
    );
    const end = c.frames.findIndex((f, i) => i > 0 && f.data.length === 0);
    expect(end).toBeGreaterThan(2);
    const joined = Buffer.concat(c.frames.slice(1, end).map((f) => f.data)).toString();
    expect(joined).toMatch(/^HTTP\/1\.1 101 Web Socket Protocol Handshake\r\n[\s\S]*\r\n\r\n$/);
  });

  it('/slow?ms=300 waits before answering', { timeout: 5000 }, async () => {
    const c = await open('/slow?ms=300&.kl=Y');
    const t0 = Date.now();
    c.send(request('/slow?ms=300'));
    await c.frame(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(c.text(1)).toMatch(/^HTTP\/1\.1 101 /);
  });

  it(
    '/status/404: the code, terminator, and a close 1011 when the client does not close',
    { timeout: 5000 },
    async () => {
      const c = await open('/status/404?.kl=Y');
      c.send(request('/status/404'));
      expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
      expect(await c.frame(2)).toEqual(EMPTY);
      expect((await c.closed()).code).toBe(1011);
    },
  );

  it(
    '/status/<code> follows the spec table: 201 completes, 307 redirects to /echo, 401 challenges',
    { timeout: 5000 },
    async () => {
      const a = await open('/status/201?.kl=Y');
      a.send(request('/status/201'));
      expect((await a.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
      expect(await a.frame(3)).toEqual({ data: N_BYTES, binary: true });
      a.send('still open');
      expect((await a.frame(4)).data.toString()).toBe('still open');
      const b = await open('/status/307?.kl=Y');
      b.send(request('/status/307'));
      expect((await b.frame(1)).data.toString()).toContain(
        `Location: http://127.0.0.1:${harness.server.port}/echo\r\n`,
      );
      expect((await b.closed()).code).toBe(1000);
      const d = await open('/status/401?.kl=Y');
      d.send(request('/status/401'));
      expect((await d.frame(1)).data.toString()).toContain('WWW-Authenticate: Application Basic');
      await new Promise((r) => setTimeout(r, 400));
      expect(d.closeInfo).toBeNull();
    },
  );

  it(
    '/status/100 with Expect: 100-continue waits for the body, then completes',
    { timeout: 5000 },
    async () => {
      const c = await open('/status/100?.kl=Y');
      c.send(request('/status/100', ['Expect: 100-continue']));
      expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
      c.send('body');
      expect((await c.frame(3)).data.toString()).toMatch(/^HTTP\/1\.1 101 /);
    },
  );

  it('answers 400 and closes when the target differs from the opening path', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    c.send(request('/other'));
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect([1002, 1011]).toContain((await c.closed()).code);
  });

  it('answers 400 and closes when the first message is not an HTTP request', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    c.send('hello there');
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 400 /);
    expect(await c.closed()).toMatchObject({ code: 1002 });
  });

  it('answers 404 for an unknown path', { timeout: 5000 }, async () => {
    const c = await open('/nowhere?.kl=Y');
    c.send(request('/nowhere'));
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 404 /);
    expect((await c.closed()).code).toBe(1011);
  });

  it(
    'errors and closes 1011 when an extension negotiated in the opening is requested again',
    { timeout: 5000 },
    async () => {
      const c = await RawClient.open(`${harness.server.wsUrl}/echo?.kl=Y`, ['x-kaazing-handshake'], {
        perMessageDeflate: true,
      });
      harness.track(c);
      expect(c.ws.extensions).toContain('permessage-deflate');
      c.send(request('/echo', ['Sec-WebSocket-Extensions: permessage-deflate']));
      const text = (await c.frame(1)).data.toString();
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(text).toContain('permessage-deflate');
      expect((await c.closed()).code).toBe(1011);
    },
  );

  it('gives a plain client (no x-kaazing-handshake) a plain echo', { timeout: 5000 }, async () => {
    const c = await open('/echo', []);
    expect(c.ws.protocol).toBe('');
    c.send('plain');
    expect(await c.frame(0)).toEqual({ data: Buffer.from('plain'), binary: false });
  });
});

describe('gateway mode without .kl=Y', () => {
  it('sends no balancer message and no terminator', { timeout: 5000 }, async () => {
    const c = await open('/echo');
    c.send(request('/echo'));
    expect((await c.frame(0)).data.toString()).toMatch(/^HTTP\/1\.1 101 Web Socket Protocol Handshake\r\n/);
    c.send('x');
    expect(await c.frame(1)).toEqual({ data: Buffer.from('x'), binary: false });
  });
});
