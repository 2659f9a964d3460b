/**
 * HttpForwarder: sends announces to one `http://` or `https://` forwarder with node:http(s)
 * over a keep-alive agent of its own (at most `workers` sockets), the configured `Host`
 * header (and TLS server name), a bounded body, and no redirects. 200 → the bencoded answer;
 * 429 → `rate_limited` with Retry-After; any other status → `http_status` (retried for 5xx).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ForwarderConfig } from '../config/configuration.js';
import { announceUrlOf, readAnnounceBody, retryAfterMs } from './http-announce.js';
import { failure, type UpstreamAnnounce, type UpstreamResult, type UpstreamTransport } from './upstream.js';

/** Larger answers are refused (74 peers take about 1 KiB; 64 KiB leaves room for dictionary peers). */
export const MAX_ANSWER_BYTES = 64 * 1024;
export const USER_AGENT = 'nest-bittorrent-tracker (announce forwarding)';

export class HttpForwarder implements UpstreamTransport {
  private readonly agent: HttpAgent;
  private readonly https: boolean;

  constructor(
    private readonly forwarder: ForwarderConfig,
    maxSockets: number,
    private readonly now: () => number = Date.now,
  ) {
    this.https = forwarder.protocol === 'https';
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
    this.agent = this.https ? new HttpsAgent(options) : new HttpAgent(options);
  }

  announce(request: UpstreamAnnounce, signal: AbortSignal): Promise<UpstreamResult> {
    const url = announceUrlOf(this.forwarder.uri, request, this.forwarder.ip);
    const headers: OutgoingHttpHeaders = { 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'identity' };
    if (this.forwarder.host !== null) headers.host = this.forwarder.host;
    const send = this.https ? httpsRequest : httpRequest;
    return new Promise<UpstreamResult>((resolve) => {
      let done = false;
      const finish = (result: UpstreamResult) => {
        if (done) return;
        done = true;
        resolve(result);
      };
      let req: ReturnType<typeof httpRequest>;
      try {
        req = send(
          url,
          {
            method: 'GET',
            agent: this.agent,
            headers,
            signal,
            ...(this.https && this.forwarder.host !== null
              ? { servername: this.forwarder.host.replace(/:\d+$/, '') }
              : {}),
          },
          (res) => this.onResponse(res, finish),
        );
      } catch (error) {
        finish(failure('network', (error as Error).message, true));
        return;
      }
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (signal.aborted) finish(failure('timeout', 'aborted', true));
        else finish(failure('network', error.code ?? error.message, true));
      });
      req.end();
    });
  }

  private onResponse(res: IncomingMessage, finish: (result: UpstreamResult) => void): void {
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      res.resume();
      if (status === 429) {
        const after = retryAfterMs(res.headers['retry-after'], this.now());
        finish(failure('rate_limited', 'HTTP 429', false, after));
      } else {
        finish(failure('http_status', `HTTP ${status}`, status >= 500));
      }
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        finish(failure('invalid_response', `answer larger than ${MAX_ANSWER_BYTES} bytes`, true));
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', (error) => finish(failure('network', error.message, true)));
    res.on('end', () => finish(readAnnounceBody(Buffer.concat(chunks))));
  }

  close(): void {
    this.agent.destroy();
  }
}
