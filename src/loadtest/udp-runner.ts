/**
 * UDP (BEP 15) runner of one worker: one socket connected to the target, a connection id per
 * socket (refreshed every 60 s or after an error reply), up to `concurrency` requests in flight,
 * a 1 s reply timeout. A reply counts as a response when its transaction id is in flight and its
 * action is the one asked for.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import {
  decodeResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  encodeScrapeRequest,
} from '../protocol/bep15/client.js';
import type { LoadtestOptions } from './options.js';
import { Stats } from './stats.js';
import { infoHashOf, peerIdOf, peerPortOf, Workload } from './workload.js';

export const UDP_TIMEOUT_MS = 1000;
export const CONNECTION_ID_TTL_MS = 60_000;

const KIND_CONNECT = 0;
const KIND_ANNOUNCE = 1;
const KIND_SCRAPE = 2;
const ACTION_ERROR = 3;

export interface RunnerParams {
  options: LoadtestOptions;
  /** The target's address, resolved once by the main thread. */
  address: string;
  family: 4 | 6;
  worker: number;
  stats: Stats;
  /** Set to stop issuing early (SIGINT). */
  stopRequested: () => boolean;
}

interface InFlight {
  kind: number;
  sentAt: number;
}

export function runUdp(p: RunnerParams): Promise<void> {
  const o = p.options;
  const stats = p.stats;
  const workload = new Workload({ ...o, worker: p.worker, workers: o.workers });
  const peerSize = p.family === 6 ? 18 : 6;
  const inFlight = new Map<number, InFlight>();
  let nextTx = (Math.imul(p.worker + 1, 0x01000193) ^ o.seed) | 0;
  let connectionId: Buffer | undefined;
  let connectionAt = 0;
  let connectTx: number | undefined;
  let connected = false;
  const start = performance.now();
  const end = start + o.duration * 1000;
  let issuing = true;

  return new Promise<void>((resolve) => {
    const socket: Socket = createSocket(p.family === 6 ? 'udp6' : 'udp4');
    let closed = false;

    const finish = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      socket.close();
      resolve();
    };

    const send = (packet: Buffer, kind: number, tx: number): void => {
      inFlight.set(tx, { kind, sentAt: performance.now() });
      stats.requests++;
      socket.send(packet, (error) => {
        if (error && inFlight.delete(tx)) {
          stats.network++;
          if (kind === KIND_CONNECT) connectTx = undefined;
        }
      });
    };

    const sendConnect = (): void => {
      const tx = nextTx++ | 0;
      connectTx = tx;
      send(encodeConnectRequest(tx), KIND_CONNECT, tx);
    };

    const pump = (): void => {
      if (!issuing || !connected) return;
      if (connectionId && performance.now() - connectionAt > CONNECTION_ID_TTL_MS) connectionId = undefined;
      if (!connectionId) {
        if (connectTx === undefined) sendConnect();
        return;
      }
      while (inFlight.size < o.concurrency) {
        const spec = workload.next();
        const tx = nextTx++ | 0;
        if (spec.kind === 'announce') {
          const packet = encodeAnnounceRequest({
            connectionId,
            transactionId: tx,
            infoHash: infoHashOf(o.seed, spec.torrent),
            peerId: peerIdOf(o.seed, spec.peer),
            left: spec.left,
            event: spec.event,
            key: spec.peer,
            numWant: o.numwant,
            port: peerPortOf(spec.peer),
          });
          send(packet, KIND_ANNOUNCE, tx);
        } else {
          const hashes = spec.torrents.map((t) => infoHashOf(o.seed, t));
          send(encodeScrapeRequest(connectionId, tx, hashes), KIND_SCRAPE, tx);
        }
      }
    };

    socket.on('message', (message: Buffer) => {
      stats.answered = true;
      if (message.length < 8) {
        stats.invalid++;
        return;
      }
      const tx = message.readInt32BE(4);
      const entry = inFlight.get(tx);
      if (!entry) return; // late (already timed out) or not ours
      inFlight.delete(tx);
      if (entry.kind === KIND_CONNECT) connectTx = undefined;
      const decoded = decodeResponse(message, peerSize);
      if (!decoded.ok) {
        stats.invalid++;
      } else if (decoded.response.action === ACTION_ERROR) {
        stats.errorResponses++;
        connectionId = undefined; // maybe expired: get a fresh one
      } else if (decoded.response.action !== entry.kind) {
        stats.invalid++;
      } else {
        stats.responses++;
        stats.latency.record((performance.now() - entry.sentAt) * 1000);
        if (decoded.response.action === KIND_CONNECT) {
          connectionId = decoded.response.connectionId;
          connectionAt = performance.now();
        } else if (entry.kind === KIND_ANNOUNCE) {
          stats.announces++;
        } else {
          stats.scrapes++;
        }
      }
      if (!issuing && inFlight.size === 0) finish();
      else pump();
    });

    socket.on('error', () => {
      // ICMP port unreachable and the like (connected socket); the request it belonged to times out
      stats.network++;
    });

    const sweep = setInterval(() => {
      const now = performance.now();
      for (const [tx, entry] of inFlight) {
        if (now - entry.sentAt < UDP_TIMEOUT_MS) continue;
        inFlight.delete(tx);
        stats.timeouts++;
        if (entry.kind === KIND_CONNECT) connectTx = undefined;
      }
      if (issuing && (now >= end || p.stopRequested())) {
        issuing = false;
        stats.elapsed = (now - start) / 1000;
      }
      if (!issuing && inFlight.size === 0) finish();
      else pump();
    }, 50);

    socket.connect(o.port, p.address, () => {
      connected = true;
      pump();
    });
  });
}
