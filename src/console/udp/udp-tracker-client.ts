/**
 * A BEP 15 client on one connected dgram socket, doing what Torrust's console UDP client does:
 * bind an ephemeral port (`0.0.0.0:0` or `[::]:0`), connect it to the tracker, then connect,
 * announce and scrape, each step with its own time limit, taking the first datagram that comes
 * back. Packets are built and read only with the project's codec (src/protocol/bep15). Failures
 * throw `TrackerRequestError` with Torrust's wording ("Failed to receive a connect response, …").
 */
import { createSocket, type Socket } from 'node:dgram';
import {
  EVENT_STARTED,
  MAX_PACKET_SIZE,
  PEER_V4_SIZE,
  PEER_V6_SIZE,
  decodeResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  encodeScrapeRequest,
  type Bep15Response,
} from '../../protocol/bep15/index.js';
import { TrackerRequestError, errorMessage } from '../cli-error.js';
import type { ResolvedAddress } from '../resolve.js';
import { formatHostPort } from '../targets.js';
import { renderJson } from '../json-output.js';
import { withTimeout } from '../timeout.js';
import { serializableUdpResponse } from './udp-output.js';

/** Torrust's console client: "RANDOM_TRANSACTION_ID" (a constant). */
export const CLIENT_TRANSACTION_ID = -888_840_697;
/** Torrust's tracker checker. */
export const CHECKER_TRANSACTION_ID = 1;
/** Torrust's baseline peer id (`udp_tracker_client`, `tracker_checker`). */
export const BASELINE_PEER_ID: Readonly<Buffer> = Buffer.from('-qB00000000000000001', 'latin1');

/** Torrust's newer default peer id: `-RC3000-` and 12 random digits, fixed for the process. */
export function productionPeerId(random: () => number = Math.random): Buffer {
  let digits = '';
  for (let i = 0; i < 12; i++) digits += Math.floor(random() * 10).toString();
  return Buffer.from(`-RC3000-${digits}`, 'latin1');
}

export interface UdpAnnounceParams {
  infoHash: Buffer;
  peerId: Buffer;
  /** BEP 15 event code; Torrust sends `started` (2). */
  event: number;
  downloaded: bigint;
  uploaded: bigint;
  left: bigint;
  /** 4 bytes, or 0 to let the tracker use the source address. */
  ipAddress: Buffer | 0;
  key: number;
  /** Torrust sends 1. */
  numWant: number;
  /** Announced port; default: the client's own UDP port (Torrust). */
  port?: number;
}

export function defaultAnnounceParams(infoHash: Buffer, peerId: Buffer = BASELINE_PEER_ID): UdpAnnounceParams {
  return {
    infoHash,
    peerId,
    event: EVENT_STARTED,
    downloaded: 0n,
    uploaded: 0n,
    left: 0n,
    ipAddress: 0,
    key: 0,
    numWant: 1,
  };
}

type Step = 'connect' | 'announce' | 'scrape';

function describeIoError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED: nothing listens on that port)';
  return e.code ? `${e.code}: ${e.message}` : errorMessage(error);
}

export class UdpTrackerClient {
  private readonly queue: Buffer[] = [];
  private pendingError: unknown;
  private waiter: { resolve: (msg: Buffer) => void; reject: (error: unknown) => void } | undefined;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    readonly remote: ResolvedAddress,
    private readonly timeoutMs: number,
  ) {
    socket.on('message', (msg: Buffer) => {
      if (this.waiter) this.waiter.resolve(msg);
      else this.queue.push(msg);
    });
    socket.on('error', (error: unknown) => {
      if (this.waiter) this.waiter.reject(error);
      else this.pendingError = error;
    });
  }

  /** `ip:port` of the tracker, as Rust prints a `SocketAddr`. */
  get remoteText(): string {
    return formatHostPort(this.remote.address, this.remote.port);
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  /** Binds an ephemeral port of the tracker's family and connects it ("Setup" in the checker). */
  static async open(remote: ResolvedAddress, timeoutMs: number): Promise<UdpTrackerClient> {
    const socket = createSocket(remote.family === 6 ? 'udp6' : 'udp4');
    const where = formatHostPort(remote.address, remote.port);
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(0, remote.family === 6 ? '::' : '0.0.0.0', () => {
            socket.off('error', reject);
            resolve();
          });
        }),
        timeoutMs,
        'Timeout while waiting for socket to bind',
      );
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.connect(remote.port, remote.address, () => {
            socket.off('error', reject);
            resolve();
          });
        }),
        timeoutMs,
        `Timeout while waiting for connection to remote: ${where}`,
      );
    } catch (error) {
      socket.close();
      const timeout = error instanceof TrackerRequestError && error.timeout;
      throw new TrackerRequestError(
        `Failed to Connect to: ${where}, with error: ${timeout ? errorMessage(error) : describeIoError(error)}`,
        timeout,
      );
    }
    return new UdpTrackerClient(socket, remote, timeoutMs);
  }

  /** Connect request; resolves with the 8 connection id bytes. Any other reply is an error. */
  async connect(transactionId: number): Promise<Buffer> {
    const response = await this.exchange('connect', encodeConnectRequest(transactionId));
    if (response.action !== 0) {
      throw new TrackerRequestError(
        `Failed to get a connection response: ${renderJson(serializableUdpResponse(response), 'compact')}`,
      );
    }
    return response.connectionId;
  }

  /** Announce; resolves with whatever well-formed response came back (an error packet too). */
  announce(transactionId: number, connectionId: Buffer, p: UdpAnnounceParams): Promise<Bep15Response> {
    const packet = encodeAnnounceRequest({
      connectionId,
      transactionId,
      infoHash: p.infoHash,
      peerId: p.peerId,
      downloaded: p.downloaded,
      left: p.left,
      uploaded: p.uploaded,
      event: p.event,
      ipAddress: p.ipAddress,
      key: p.key,
      numWant: p.numWant,
      port: p.port ?? this.localPort,
    });
    return this.exchange('announce', packet);
  }

  /** Scrape; resolves with whatever well-formed response came back (an error packet too). */
  scrape(transactionId: number, connectionId: Buffer, infoHashes: readonly Buffer[]): Promise<Bep15Response> {
    return this.exchange('scrape', encodeScrapeRequest(connectionId, transactionId, infoHashes));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }

  private async exchange(step: Step, packet: Buffer): Promise<Bep15Response> {
    const request = step === 'connect' ? 'connection' : step;
    // A datagram left over from an earlier, timed-out step is not the answer to this one.
    this.queue.length = 0;
    if (this.pendingError !== undefined) {
      const error = this.pendingError;
      this.pendingError = undefined;
      throw new TrackerRequestError(
        `Failed to send a ${request} request, with error: Failed to send data: ${describeIoError(error)}`,
      );
    }
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => this.socket.send(packet, (e) => (e ? reject(e) : resolve()))),
        this.timeoutMs,
        'Timeout while trying to send data.',
      );
    } catch (error) {
      const timeout = error instanceof TrackerRequestError && error.timeout;
      const inner = timeout ? errorMessage(error) : `Failed to send data: ${describeIoError(error)}`;
      throw new TrackerRequestError(`Failed to send a ${request} request, with error: ${inner}`, timeout);
    }
    let datagram: Buffer;
    try {
      datagram = await withTimeout(
        this.receive(),
        this.timeoutMs,
        'Timeout while waiting for the socket to become readable.',
      );
    } catch (error) {
      const timeout = error instanceof TrackerRequestError && error.timeout;
      const inner = timeout ? errorMessage(error) : `Failed to receive data: ${describeIoError(error)}`;
      throw new TrackerRequestError(`Failed to receive a ${step} response, with error: ${inner}`, timeout);
    } finally {
      this.waiter = undefined;
    }
    const body = datagram.subarray(0, MAX_PACKET_SIZE);
    const decoded = decodeResponse(body, this.remote.family === 6 ? PEER_V6_SIZE : PEER_V4_SIZE);
    if (!decoded.ok) {
      const shown = body.subarray(0, 64).toString('hex') + (body.length > 64 ? '…' : '');
      throw new TrackerRequestError(
        `Failed to receive a ${step} response, with error: Failed to parse response: ` +
          `${body.length} bytes (${shown}), with error: ${decoded.error.message}`,
      );
    }
    return decoded.response;
  }

  private receive(): Promise<Buffer> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<Buffer>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }
}
