/**
 * Node's own HTTP/1.1 parser (llhttp) driven directly, parse only: the `HTTPParser` binding that
 * `node:http` itself uses, reached through the public-but-internal `_http_common` module (not the
 * deprecated `process.binding`). Each message gets a freshly initialised parser, as each KHP payload
 * gets a fresh `Http1Parser`; the callbacks collect the same facts ours returns (start line fields,
 * header name/value strings, body bytes), so both sides build comparable JS values.
 */
import { createRequire } from 'node:module';

interface LlhttpParser {
  initialize(type: number, resource: object, maxHeaderSize?: number, lenient?: number): void;
  execute(data: Buffer): number | Error;
  finish(): number | Error | undefined;
  [key: number]: unknown;
}

interface HttpParserClass {
  new (): LlhttpParser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}

const require = createRequire(import.meta.url);
const { HTTPParser } = require('_http_common') as { HTTPParser: HttpParserClass };

/** What llhttp reported for one message. */
export interface LlhttpResult {
  complete: boolean;
  headers: string[];
  method?: number;
  url?: string;
  status?: number;
  bodyBytes: number;
}

/** A reusable llhttp driver: `parse(bytes, kind)` parses one whole message. */
export class LlhttpDriver {
  private readonly parser = new HTTPParser();
  private readonly resource = {};
  private r: LlhttpResult = { complete: false, headers: [], bodyBytes: 0 };

  constructor() {
    const p = this.parser;
    // More than 32 header fields arrive in chunks through kOnHeaders before kOnHeadersComplete.
    p[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      for (const h of headers) this.r.headers.push(h);
      if (url) this.r.url = (this.r.url ?? '') + url;
    };
    p[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      _minor: number,
      headers: string[] | undefined,
      method: number | undefined,
      url: string | undefined,
      status: number | undefined,
    ) => {
      if (headers) for (const h of headers) this.r.headers.push(h);
      if (url) this.r.url = (this.r.url ?? '') + url;
      this.r.method = method;
      this.r.status = status;
      return 0;
    };
    p[HTTPParser.kOnBody] = (chunk: Buffer) => {
      this.r.bodyBytes += chunk.length;
    };
    p[HTTPParser.kOnMessageComplete] = () => {
      this.r.complete = true;
    };
  }

  /** Parses one message (`bytes` must be a Buffer over the same memory the other parser reads). */
  parse(bytes: Buffer, kind: 'request' | 'response'): LlhttpResult {
    this.r = { complete: false, headers: [], bodyBytes: 0 };
    this.parser.initialize(
      kind === 'request' ? HTTPParser.REQUEST : HTTPParser.RESPONSE,
      this.resource,
      0,
      0,
    );
    const n = this.parser.execute(bytes);
    if (n instanceof Error) throw n;
    if (!this.r.complete) this.parser.finish();
    return this.r;
  }
}
