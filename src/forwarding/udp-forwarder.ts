/**
 * The UDP side of forwarding (BEP 15, client role) with the project's own codec:
 *
 * - UdpClientSockets: one unconnected socket per address family, shared by every UDP forwarder,
 *   bound lazily to an ephemeral port. Answers are matched to requests by transaction id (random
 *   32 bits) and source address; anything else is dropped.
 * - UdpForwarder: one forwarder. It resolves the host name, obtains a connection id with a
 *   connect request and reuses it for announces for 60 s after receiving it (BEP 15: "a client
 *   can use a connection ID until one minute after it has received it"); concurrent announces
 *   share one connect. An error answer drops the connection id. BEP 15's own retransmission
 *   schedule (15 · 2^n s) is replaced by the engine's timeout and retries.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ForwarderConfig } from '../config/configuration.js';
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ACTION_ERROR,
  decodeResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
} from '../protocol/bep15/index.js';
import { parseIp } from '../shared/ip.js';
import { failure, type UpstreamAnnounce, type UpstreamResult, type UpstreamTransport } from './upstream.js';

/** BEP 15: a connection id may be used until one minute after it was received. */
export const CONNECTION_ID_LIFETIME_MS = 60_000;

interface Pending {
  readonly address: string;
  readonly port: number;
  resolve(reply: Buffer): void;
}

class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}

/** Rejects with AbortedError as soon as `signal` aborts. */
function raced<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export class UdpClientSockets {
  private readonly sockets = new Map<4 | 6, Promise<Socket>>();
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(private readonly onSocketError: (error: Error) => void = () => undefined) {}

  /** Sends `packet` (whose transaction id is `transactionId`) and resolves with the matching answer. */
  async request(
    family: 4 | 6,
    address: string,
    port: number,
    packet: Buffer,
    transactionId: number,
    signal: AbortSignal,
  ): Promise<Buffer> {
    const socket = await raced(this.socketFor(family), signal);
    return new Promise<Buffer>((resolve, reject) => {
      if (signal.aborted) return reject(new AbortedError());
      const onAbort = () => {
        this.pending.delete(transactionId);
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(transactionId, {
        address,
        port,
        resolve: (reply) => {
          signal.removeEventListener('abort', onAbort);
          resolve(reply);
        },
      });
      socket.send(packet, port, address, (error) => {
        if (error && this.pending.delete(transactionId)) {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        }
      });
    });
  }

  /** A transaction id not in use. */
  newTransactionId(): number {
    let id: number;
    do id = (Math.random() * 0x1_0000_0000) | 0;
    while (this.pending.has(id));
    return id;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    for (const socket of this.sockets.values()) {
      void socket.then(
        (s) => s.close(),
        () => undefined,
      );
    }
    this.sockets.clear();
    this.pending.clear();
  }

  private socketFor(family: 4 | 6): Promise<Socket> {
    if (this.closed) return Promise.reject(new Error('closed'));
    let socket = this.sockets.get(family);
    if (socket === undefined) {
      socket = new Promise<Socket>((resolve, reject) => {
        const s = createSocket(family === 6 ? 'udp6' : 'udp4');
        s.once('error', reject);
        s.on('message', (msg, from) => this.onMessage(msg, from));
        s.bind(0, () => {
          s.off('error', reject);
          s.on('error', (error) => this.onSocketError(error));
          s.unref();
          resolve(s);
        });
      });
      socket.catch(() => this.sockets.delete(family));
      this.sockets.set(family, socket);
    }
    return socket;
  }

  private onMessage(msg: Buffer, from: RemoteInfo): void {
    if (msg.length < 8) return;
    const id = msg.readInt32BE(4);
    const pending = this.pending.get(id);
    if (pending === undefined || pending.port !== from.port || pending.address !== from.address) return;
    this.pending.delete(id);
    pending.resolve(msg);
  }
}

interface Connection {
  readonly id: Buffer;
  readonly receivedAt: number;
  readonly address: string;
  readonly family: 4 | 6;
}

export class UdpForwarder implements UpstreamTransport {
  private connection: Connection | null = null;
  private connecting: Promise<Connection> | null = null;
  private readonly ipField: Uint8Array | number;

  constructor(
    private readonly forwarder: ForwarderConfig,
    private readonly sockets: UdpClientSockets,
    /** Bounds a shared connect (the engine's request timeout). */
    private readonly connectTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const ip = forwarder.ip === null ? null : parseIp(forwarder.ip);
    this.ipField = ip !== null && ip.family === 4 ? ip.bytes : 0;
  }

  async announce(request: UpstreamAnnounce, signal: AbortSignal): Promise<UpstreamResult> {
    let connection: Connection;
    try {
      connection = await raced(this.connectionFor(), signal);
    } catch (error) {
      return this.errorResult(error, signal);
    }
    const transactionId = this.sockets.newTransactionId();
    const packet = encodeAnnounceRequest({
      connectionId: connection.id,
      transactionId,
      infoHash: request.infoHash,
      peerId: request.peerId,
      downloaded: Math.max(0, Math.trunc(request.downloaded)),
      left: Math.max(0, Math.trunc(request.left)),
      uploaded: Math.max(0, Math.trunc(request.uploaded)),
      event: request.event,
      ipAddress: this.ipField,
      key: 0,
      numWant: request.numWant,
      port: request.port,
    });
    let reply: Buffer;
    try {
      reply = await this.sockets.request(
        connection.family,
        connection.address,
        this.forwarder.port,
        packet,
        transactionId,
        signal,
      );
    } catch (error) {
      return this.errorResult(error, signal);
    }
    const decoded = decodeResponse(reply, connection.family === 6 ? 18 : 6);
    if (!decoded.ok) return failure('invalid_response', decoded.error.message, true);
    const response = decoded.response;
    if (response.action === ACTION_ERROR) {
      // The id may be what the tracker refused (expired, other key): connect again next time.
      if (this.connection === connection) this.connection = null;
      return failure('tracker_failure', response.message.slice(0, 200) || 'error', false);
    }
    if (response.action !== ACTION_ANNOUNCE) {
      return failure('invalid_response', `action ${response.action} in answer to an announce`, true);
    }
    const size = response.peerSize;
    const peers = Buffer.alloc(response.peers.length * size);
    response.peers.forEach((p, i) => {
      p.address.copy(peers, i * size);
      peers.writeUInt16BE(p.port, i * size + size - 2);
    });
    return {
      ok: true,
      intervalSecs: response.interval >= 0 ? response.interval : null,
      peers4: size === 6 ? peers : Buffer.alloc(0),
      peers6: size === 18 ? peers : Buffer.alloc(0),
    };
  }

  close(): void {
    this.connection = null;
  }

  private errorResult(error: unknown, signal: AbortSignal): UpstreamResult {
    if (signal.aborted || error instanceof AbortedError) return failure('timeout', 'aborted', true);
    const e = error as NodeJS.ErrnoException;
    if (e instanceof InvalidAnswer) return failure('invalid_response', e.message, true);
    return failure('network', e?.code ?? e?.message ?? String(error), true);
  }

  /** A connection id younger than 60 s, connecting when there is none (one connect at a time). */
  private connectionFor(): Promise<Connection> {
    const c = this.connection;
    if (c !== null && this.now() - c.receivedAt < CONNECTION_ID_LIFETIME_MS) return Promise.resolve(c);
    if (this.connecting === null) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.connectTimeoutMs);
      timer.unref();
      this.connecting = this.connect(controller.signal).finally(() => {
        clearTimeout(timer);
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connect(signal: AbortSignal): Promise<Connection> {
    const { hostname } = this.forwarder;
    let address = hostname;
    let family: 4 | 6;
    const literal = isIP(hostname);
    if (literal !== 0) family = literal as 4 | 6;
    else {
      const resolved = await raced(lookup(hostname), signal);
      address = resolved.address;
      family = resolved.family === 6 ? 6 : 4;
    }
    const transactionId = this.sockets.newTransactionId();
    const reply = await this.sockets.request(
      family,
      address,
      this.forwarder.port,
      encodeConnectRequest(transactionId),
      transactionId,
      signal,
    );
    const decoded = decodeResponse(reply);
    if (!decoded.ok) throw new InvalidAnswer(`connect: ${decoded.error.message}`);
    if (decoded.response.action === ACTION_ERROR)
      throw new InvalidAnswer(`connect refused: ${decoded.response.message}`);
    if (decoded.response.action !== ACTION_CONNECT)
      throw new InvalidAnswer(`connect: action ${decoded.response.action}`);
    const connection: Connection = { id: decoded.response.connectionId, receivedAt: this.now(), address, family };
    this.connection = connection;
    return connection;
  }
}

class InvalidAnswer extends Error {}
