/** The panel's protocol services, wired to the pure core. */
import { buildChains } from '../protocol/chains';
import { writeCaptureFile } from '../protocol/capture-file';
import { ConnectionDecoder } from '../protocol/decoder';
import { exportHar } from '../protocol/har';
import { parseHttpRequest, parseHttpResponse } from '../protocol/http1';
import { importJson } from '../protocol/import';
import { RULES } from '../protocol/rules';
import type { PanelCore, RuleInfo } from './store/core-port';

const rules: Record<string, RuleInfo | undefined> = RULES;

/** The real core: incremental decoder, chain builder, rules catalogue, HTTP parser, HAR and capture files. */
export const defaultCore: PanelCore = {
  createDecoder: (meta) => new ConnectionDecoder(meta),
  buildChains,
  rule: (id) => rules[id],
  parseError(kind, bytes) {
    const result = kind === 'request' ? parseHttpRequest(bytes) : parseHttpResponse(bytes);
    return result.status === 'error' ? result.error : null;
  },
  importFile(json) {
    try {
      const file = importJson(json);
      return { ok: true, sockets: file.sockets, warnings: file.warnings, kind: file.kind };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  },
  exportHar: (sockets, redact) => exportHar(sockets, { redact }),
  exportCapture: (sockets, redact) => writeCaptureFile(sockets, { redact }),
};
