/**
 * One HTTP(S) GET as Torrust's clients make it with reqwest: a total time limit for the request
 * and its body, redirects followed (up to 10), no connection reuse (so the process can exit).
 * Certificates are verified unless `insecure` is set; a private CA can be trusted with Node's
 * NODE_EXTRA_CA_CERTS. Failures throw `TrackerRequestError`; any status is returned as is.
 */
import { STATUS_CODES, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TrackerRequestError } from '../cli-error.js';

export interface HttpGetOptions {
  timeoutMs: number;
  /** Skip TLS certificate verification (self-signed test trackers). */
  insecure?: boolean;
  maxRedirects?: number;
  /** Largest body accepted. Default 16 MiB. */
  maxBodyBytes?: number;
}

export interface HttpGetResult {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  body: Buffer;
}

/** `200 OK`, as Rust's `StatusCode` prints: the code and its canonical reason. */
export function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? '<unknown status code>'}`;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function describe(error: NodeJS.ErrnoException, url: URL, insecure: boolean): string {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused by ${url.host} (ECONNREFUSED)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS resolution failed for \`${url.hostname}\` (${code})`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) && !insecure) {
    return `TLS certificate of ${url.host} not accepted: ${error.message} (${code}); use --insecure to skip verification`;
  }
  return code ? `${error.message} (${code})` : error.message;
}

function getOnce(url: URL, o: HttpGetOptions, deadline: number): Promise<{ res: IncomingMessage; body: Buffer }> {
  const insecure = o.insecure ?? false;
  const maxBody = o.maxBodyBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: TrackerRequestError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'GET',
      agent: false,
      headers: { accept: '*/*', 'user-agent': 'nest-bittorrent-tracker-console' },
      ...(url.protocol === 'https:' ? { rejectUnauthorized: !insecure } : {}),
    });
    const timer = setTimeout(
      () => fail(new TrackerRequestError(`no complete response from ${url.origin} within ${o.timeoutMs} ms`, true)),
      Math.max(1, deadline - Date.now()),
    );
    req.on('error', (error: NodeJS.ErrnoException) => fail(new TrackerRequestError(describe(error, url, insecure))));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) fail(new TrackerRequestError(`response body from ${url.origin} exceeds ${maxBody} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ res, body: Buffer.concat(chunks) });
      });
      res.on('error', (error: NodeJS.ErrnoException) => fail(new TrackerRequestError(describe(error, url, insecure))));
    });
    req.end();
  });
}

export async function httpGet(target: string, o: HttpGetOptions): Promise<HttpGetResult> {
  const deadline = Date.now() + o.timeoutMs;
  let url = new URL(target);
  for (let hops = 0; ; hops++) {
    const { res, body } = await getOnce(url, o, deadline);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && location !== undefined) {
      if (hops >= (o.maxRedirects ?? 10)) throw new TrackerRequestError(`too many redirects from ${target}`);
      url = new URL(location, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new TrackerRequestError(`redirect to an unsupported URL: ${url.href}`);
      }
      continue;
    }
    return { url: url.href, status, body };
  }
}
