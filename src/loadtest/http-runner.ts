/**
 * HTTP runner of one worker: `concurrency` request loops over a keep-alive agent
 * (maxSockets = concurrency), compact announces and multi-hash scrapes. A 200 answer whose body
 * is a bencoded dictionary without `failure reason` is a response; a `failure reason` or another
 * status is an error response; anything else is invalid. Every connection goes to the address
 * resolved once by the main thread (the URL's host is only sent as Host / TLS server name).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BencodeDictionary, decodeBencode } from '../protocol/bencode/index.js';
import { percentEncode } from '../protocol/http/percent.js';
import { scrapeUrlOf } from './options.js';
import type { RunnerParams } from './udp-runner.js';
import {
  EVENT_COMPLETED,
  EVENT_STARTED,
  infoHashOf,
  peerIdOf,
  peerPortOf,
  Workload,
  type RequestSpec,
} from './workload.js';

export const HTTP_TIMEOUT_MS = 2000;
const MAX_BODY = 1 << 20;

type Outcome = 'response' | 'error' | 'invalid' | 'timeout' | 'network';

export function requestPath(
  base: string,
  scrapeBase: string | undefined,
  spec: RequestSpec,
  seed: number,
  numwant: number,
): string {
  if (spec.kind === 'scrape') {
    return `${scrapeBase}?${spec.torrents.map((t) => `info_hash=${percentEncode(infoHashOf(seed, t))}`).join('&')}`;
  }
  const event =
    spec.event === EVENT_STARTED ? '&event=started' : spec.event === EVENT_COMPLETED ? '&event=completed' : '';
  return (
    `${base}?info_hash=${percentEncode(infoHashOf(seed, spec.torrent))}` +
    `&peer_id=${percentEncode(peerIdOf(seed, spec.peer))}&port=${peerPortOf(spec.peer)}` +
    `&uploaded=0&downloaded=0&left=${spec.left}${event}&compact=1&numwant=${numwant}`
  );
}

/** Classifies a finished HTTP answer. */
export function classifyAnswer(status: number, body: Buffer, kind: RequestSpec['kind']): Outcome {
  let value;
  try {
    value = decodeBencode(body);
  } catch {
    return status === 200 ? 'invalid' : 'error';
  }
  if (status !== 200) return 'error';
  if (!(value instanceof BencodeDictionary)) return 'invalid';
  if (value.has('failure reason')) return 'error';
  if (kind === 'announce' ? !value.has('interval') : !value.has('files')) return 'invalid';
  return 'response';
}

export async function runHttp(p: RunnerParams): Promise<void> {
  const o = p.options;
  const stats = p.stats;
  const https = o.target.startsWith('https:');
  const agentOptions = { keepAlive: true, maxSockets: o.concurrency };
  const agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const request = https ? httpsRequest : httpRequest;
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: p.address, family: p.family }]);
    else callback(null, p.address, p.family);
  };
  const base = o.target;
  const scrapeBase = scrapeUrlOf(o.target);
  const workload = new Workload({ ...o, worker: p.worker, workers: o.workers });
  const start = performance.now();
  const end = start + o.duration * 1000;

  const once = (spec: RequestSpec): Promise<Outcome> =>
    new Promise((resolve) => {
      let settled = false;
      const done = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      const req = request(
        requestPath(base, scrapeBase, spec, o.seed, o.numwant),
        { agent, lookup },
        (res: IncomingMessage) => {
          stats.answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY) {
              req.destroy();
              done('invalid');
            } else chunks.push(chunk);
          });
          res.on('end', () => done(classifyAnswer(res.statusCode ?? 0, Buffer.concat(chunks), spec.kind)));
          res.on('error', () => done('network'));
        },
      );
      req.setTimeout(HTTP_TIMEOUT_MS, () => {
        done('timeout');
        req.destroy();
      });
      req.on('error', () => done('network'));
      req.end();
    });

  const loop = async (): Promise<void> => {
    while (performance.now() < end && !p.stopRequested()) {
      const spec = workload.next();
      const sentAt = performance.now();
      stats.requests++;
      const outcome = await once(spec);
      switch (outcome) {
        case 'response':
          stats.responses++;
          stats.latency.record((performance.now() - sentAt) * 1000);
          if (spec.kind === 'announce') stats.announces++;
          else stats.scrapes++;
          break;
        case 'error':
          stats.errorResponses++;
          break;
        case 'invalid':
          stats.invalid++;
          break;
        case 'timeout':
          stats.timeouts++;
          break;
        case 'network':
          stats.network++;
          // nothing listening or the connection dropped: do not spin
          await new Promise((r) => setTimeout(r, 20));
          break;
      }
    }
  };

  await Promise.all(Array.from({ length: o.concurrency }, loop));
  stats.elapsed = Math.min(o.duration, (performance.now() - start) / 1000);
  agent.destroy();
}
