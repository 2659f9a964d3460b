/**
 * HttpFastPath: answers the common tracker request — a complete `GET /announce?…` or
 * `GET /scrape?…` (optionally `/{key}`) in HTTP/1.1 with a Host header and no body — straight
 * from the TCP socket of a plain listener, without Node's HTTP machinery or Fastify, and hands
 * every other connection to them untouched.
 *
 * It sits in front of the listener's own `http.Server`: the server's `connection` listeners are
 * taken over, and a connection goes back to them ("handed off", with the bytes already read put
 * back) as soon as it carries anything the fast path does not answer itself: another method,
 * path or HTTP version, a request split over several reads, a body, `Expect`, `Upgrade`,
 * repeated proxy headers, any malformed byte, a request while the listener closes. A handed-off
 * connection stays with Node and Fastify for its lifetime, so their limits, status codes and
 * timeouts apply to it exactly as before. What the fast path answers is byte-for-byte what
 * Fastify would send (status line, headers in Fastify's order, Node's cached `Date`), and the
 * handler is the same `HttpTrackerHandler` as on the Fastify routes; the e2e tests compare the
 * two paths' raw answers.
 *
 * Timeouts on a fast connection: none of its requests is ever partial (a partial one is handed
 * off), so only two apply: a connection that sends nothing gets Node's 408 after the headers
 * timeout, and an idle keep-alive connection is closed after the keep-alive timeout, as Node does.
 * Why this exists and what it costs: docs/adr/20261121190000_http_fast_path.md.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { RateLimitedLog } from '../shared/rate-limited-log.js';
import type { RequestMeta, TrackerReply } from './http-tracker.handler.js';

/** What the fast path calls for a request it answers (the Fastify routes call the same). */
export interface FastPathRoutes {
  announce(url: string, key: string | null, meta: RequestMeta): TrackerReply;
  scrape(url: string, key: string | null, meta: RequestMeta): TrackerReply;
}

export interface FastPathLimits {
  /** Largest request head answered here (larger ones go to Node, which answers 431). */
  maxHeaderBytes: number;
  /** A connection that sends nothing for this long gets 408, as from Node. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this, as by Node. */
  keepAliveTimeoutMs: number;
}

/** Content types, as the Fastify routes send them. */
export interface FastPathContentTypes {
  success: string;
  failure: string;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const QUESTION = 0x3f;
const SLASH = 0x2f;
/** Pause reading while this much of a connection's answers waits to be sent (a client not reading). */
const WRITE_BACKLOG_BYTES = 64 * 1024;

const GET_ANNOUNCE = Buffer.from('GET /announce', 'latin1');
const GET_SCRAPE = Buffer.from('GET /scrape', 'latin1');
const HTTP_11 = Buffer.from(' HTTP/1.1', 'latin1');
const BAD_REQUEST_400 = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
const TIMEOUT_408 = 'HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

const enum Route {
  Announce,
  Scrape,
}

/** Header names the fast path looks at, lower-cased, and what it does with them. */
const enum Header {
  Other,
  Host,
  Connection,
  ForwardedFor,
  RealIp,
  /** A body, `Expect` or `Upgrade`: the request goes to Node. */
  HandOff,
}

const HEADER_KINDS = new Map<string, Header>([
  ['host', Header.Host],
  ['connection', Header.Connection],
  ['x-forwarded-for', Header.ForwardedFor],
  ['x-real-ip', Header.RealIp],
  ['content-length', Header.HandOff],
  ['transfer-encoding', Header.HandOff],
  ['expect', Header.HandOff],
  ['upgrade', Header.HandOff],
]);

/** Only names of these lengths are decoded and looked up. */
const HEADER_NAME_LENGTHS = new Uint8Array(32);
for (const name of HEADER_KINDS.keys()) HEADER_NAME_LENGTHS[name.length] = 1;

/** Bytes of a key path segment answered here (a valid key is 32 of them); others go to Fastify. */
const KEY_CHAR = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) KEY_CHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) KEY_CHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) KEY_CHAR[c] = 1;

/** RFC 9110 token characters (header names): letters, digits and these. */
const TOKEN = Uint8Array.from(KEY_CHAR);
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;

/** What one parsed request head says. */
interface Head {
  route: Route;
  url: string;
  key: string | null;
  close: boolean;
  forwardedFor: string | undefined;
  realIp: string | undefined;
}

/** Per connection. */
interface Connection {
  meta: RequestMeta;
  served: boolean;
  paused: boolean;
  onData: (chunk: Buffer) => void;
  onTimeout: () => void;
  onEnd: () => void;
  onError: () => void;
  onDrain: () => void;
}

export class HttpFastPath {
  private readonly log = new Logger('HTTP TRACKER');
  /** Handler defects, once a minute at most (they could repeat per request). */
  private readonly failures = new RateLimitedLog((m) => this.log.error(m));
  private readonly handOffListeners: ((socket: Socket) => void)[];
  private readonly connections = new Map<Socket, Connection>();
  private closing = false;
  private readonly head: Head = {
    route: Route.Announce,
    url: '',
    key: null,
    close: false,
    forwardedFor: undefined,
    realIp: undefined,
  };
  private readonly successType: Buffer;
  private readonly failureType: Buffer;
  private dateUntil = 0;
  private keepAliveTail = Buffer.alloc(0);
  private closeTail = Buffer.alloc(0);

  constructor(
    private readonly server: Server,
    private readonly routes: FastPathRoutes,
    private readonly limits: FastPathLimits,
    types: FastPathContentTypes,
  ) {
    this.successType = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: ${types.success}\r\ncontent-length: `, 'latin1');
    this.failureType = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: ${types.failure}\r\ncontent-length: `, 'latin1');
    // Node's own connection handling, called for every connection handed off.
    this.handOffListeners = server.listeners('connection') as ((socket: Socket) => void)[];
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => this.accept(socket));
  }

  /** Connections the fast path holds now (all idle between requests). */
  get size(): number {
    return this.connections.size;
  }

  /**
   * The listener is closing: new requests go to Node (Fastify answers 503 while closing) and every
   * fast connection is ended once its answers are written; none is ever inside a request.
   */
  close(): void {
    this.closing = true;
    for (const socket of [...this.connections.keys()]) {
      this.release(socket);
      socket.end();
    }
  }

  private accept(socket: Socket): void {
    if (this.closing) return this.handOff(socket, null);
    const connection: Connection = {
      meta: { remoteAddress: socket.remoteAddress, forwardedFor: undefined, realIp: undefined },
      served: false,
      paused: false,
      onData: (chunk) => this.onData(socket, connection, chunk),
      onTimeout: () => {
        this.release(socket);
        if (connection.served) socket.destroy();
        else socket.end(TIMEOUT_408);
      },
      onEnd: () => {
        this.release(socket);
        socket.end();
      },
      onError: () => {
        this.release(socket);
        socket.destroy();
      },
      onDrain: () => {
        if (connection.paused) {
          connection.paused = false;
          socket.resume();
        }
      },
    };
    this.connections.set(socket, connection);
    socket.setTimeout(this.limits.headersTimeoutMs);
    socket.on('data', connection.onData);
    socket.on('timeout', connection.onTimeout);
    socket.on('end', connection.onEnd);
    socket.on('error', connection.onError);
    socket.on('drain', connection.onDrain);
    socket.once('close', () => this.connections.delete(socket));
  }

  /** Answers every complete request in `chunk`; anything else hands the connection to Node. */
  private onData(socket: Socket, connection: Connection, chunk: Buffer): void {
    let at = 0;
    const length = chunk.length;
    while (at < length) {
      if (this.closing) return this.handOff(socket, chunk.subarray(at));
      const next = this.parse(chunk, at);
      if (next < 0) return this.handOff(socket, chunk.subarray(at));
      at = next;
      const head = this.head;
      const meta = connection.meta;
      meta.forwardedFor = head.forwardedFor;
      meta.realIp = head.realIp;
      let reply: TrackerReply;
      try {
        reply =
          head.route === Route.Announce
            ? this.routes.announce(head.url, head.key, meta)
            : this.routes.scrape(head.url, head.key, meta);
      } catch (err) {
        // A defect, not a client error: logged, answered as the Fastify error handler would.
        this.failures.report(`HTTP tracker request failed: ${(err as Error).stack ?? String(err)}`);
        this.release(socket);
        socket.end(BAD_REQUEST_400);
        return;
      }
      socket.write(this.response(reply, head.close));
      if (head.close) {
        this.release(socket);
        socket.end();
        return;
      }
      if (!connection.served) {
        connection.served = true;
        socket.setTimeout(this.limits.keepAliveTimeoutMs);
      }
    }
    if (socket.writableLength > WRITE_BACKLOG_BYTES && !connection.paused) {
      connection.paused = true;
      socket.pause();
    }
  }

  /**
   * Parses one request head starting at `at` into `this.head`; the offset after it, or -1 when
   * the fast path does not answer it (incomplete, not a tracker GET, anything unusual).
   */
  private parse(b: Buffer, at: number): number {
    const end = b.length;
    let route: Route;
    let pathEnd: number;
    if (startsWith(b, at, GET_ANNOUNCE)) {
      route = Route.Announce;
      pathEnd = at + GET_ANNOUNCE.length;
    } else if (startsWith(b, at, GET_SCRAPE)) {
      route = Route.Scrape;
      pathEnd = at + GET_SCRAPE.length;
    } else return -1;
    const targetStart = at + 4;
    // The target: printable ASCII up to the space before the version; `#` goes to Fastify.
    let i = pathEnd;
    let keyStart = -1;
    let keyEnd = -1;
    if (i < end && b[i] === SLASH) {
      keyStart = ++i;
      while (i < end && KEY_CHAR[b[i]] === 1) i++;
      keyEnd = i;
      if (keyEnd === keyStart) return -1;
    }
    if (i >= end) return -1;
    if (b[i] === QUESTION) {
      for (i++; i < end; i++) {
        const c = b[i];
        if (c <= SP || c >= 0x7f || c === 0x23) break;
      }
    }
    if (i >= end || b[i] !== SP) return -1;
    const targetEnd = i;
    if (!startsWith(b, i, HTTP_11)) return -1;
    i += HTTP_11.length;
    if (i + 1 >= end || b[i] !== CR || b[i + 1] !== LF) return -1;
    i += 2;

    let hosts = 0;
    let close = false;
    let forwardedFor: string | undefined;
    let realIp: string | undefined;
    const limit = Math.min(end, at + this.limits.maxHeaderBytes);
    for (;;) {
      if (i + 1 >= limit) return -1;
      if (b[i] === CR) {
        if (b[i + 1] !== LF) return -1;
        i += 2;
        break;
      }
      // name ":" OWS value OWS CRLF
      const nameStart = i;
      while (i < limit && TOKEN[b[i]] === 1) i++;
      if (i === nameStart || i >= limit || b[i] !== COLON) return -1;
      const nameEnd = i++;
      while (i < limit && (b[i] === SP || b[i] === HTAB)) i++;
      const valueStart = i;
      let valueEnd = i;
      for (; i < limit; i++) {
        const c = b[i];
        if (c === CR) break;
        if ((c < SP && c !== HTAB) || c === 0x7f) return -1;
        if (c !== SP && c !== HTAB) valueEnd = i + 1;
      }
      if (i + 1 >= limit || b[i + 1] !== LF) return -1;
      i += 2;
      const kind = headerKind(b, nameStart, nameEnd);
      if (kind === Header.Other) continue;
      if (kind === Header.HandOff) return -1;
      if (kind === Header.Host) hosts++;
      else if (kind === Header.Connection) {
        const value = b.toString('latin1', valueStart, valueEnd).toLowerCase();
        if (value === 'close') close = true;
        else if (value !== 'keep-alive') return -1;
      } else if (kind === Header.ForwardedFor) {
        if (forwardedFor !== undefined) return -1;
        forwardedFor = b.toString('latin1', valueStart, valueEnd);
      } else {
        if (realIp !== undefined) return -1;
        realIp = b.toString('latin1', valueStart, valueEnd);
      }
    }
    if (hosts !== 1) return -1;
    const head = this.head;
    head.route = route;
    head.url = b.toString('latin1', targetStart, targetEnd);
    head.key = keyStart < 0 ? null : b.toString('latin1', keyStart, keyEnd);
    head.close = close;
    head.forwardedFor = forwardedFor;
    head.realIp = realIp;
    return i;
  }

  /** Status line, headers as Fastify writes them, and the body, in one buffer. */
  private response(reply: TrackerReply, close: boolean): Buffer {
    const now = Date.now();
    if (now >= this.dateUntil) this.refreshDate(now);
    const type = reply.failure ? this.failureType : this.successType;
    const tail = close ? this.closeTail : this.keepAliveTail;
    const body = reply.body;
    const length = String(body.length);
    const out = Buffer.allocUnsafe(type.length + length.length + tail.length + body.length);
    let at = type.copy(out, 0);
    at += out.write(length, at, 'latin1');
    at += tail.copy(out, at);
    body.copy(out, at);
    return out;
  }

  /** Node's `Date` header text changes once a second. */
  private refreshDate(now: number): void {
    const date = new Date(now).toUTCString();
    this.dateUntil = now - (now % 1000) + 1000;
    const keepAlive = Math.floor(this.limits.keepAliveTimeoutMs / 1000);
    this.keepAliveTail = Buffer.from(
      `\r\nDate: ${date}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${keepAlive}\r\n\r\n`,
      'latin1',
    );
    this.closeTail = Buffer.from(`\r\nDate: ${date}\r\nConnection: close\r\n\r\n`, 'latin1');
  }

  /**
   * Drops the fast path's hold on a connection (its listeners and timer). A connection being
   * closed keeps an error listener (a reset while its last answer is sent must not throw); one
   * handed off gets Node's.
   */
  private release(socket: Socket, handingOff = false): void {
    const connection = this.connections.get(socket);
    if (connection === undefined) return;
    this.connections.delete(socket);
    socket.setTimeout(0);
    socket.removeListener('data', connection.onData);
    socket.removeListener('timeout', connection.onTimeout);
    socket.removeListener('end', connection.onEnd);
    socket.removeListener('error', connection.onError);
    socket.removeListener('drain', connection.onDrain);
    if (!handingOff) socket.on('error', destroyOnError);
    if (connection.paused) socket.resume();
  }

  /**
   * Gives the connection to Node's HTTP server, with the bytes not answered put back first. The
   * socket is paused until the next tick so that Node's parser, once attached, reads the bytes
   * put back before anything new.
   */
  private handOff(socket: Socket, unread: Buffer | null): void {
    this.release(socket, true);
    socket.pause();
    if (unread !== null && unread.length > 0) socket.unshift(unread);
    for (const listener of this.handOffListeners) listener.call(this.server, socket);
    process.nextTick(resume, socket);
  }
}

function destroyOnError(this: Socket): void {
  this.destroy();
}

function resume(socket: Socket): void {
  socket.resume();
}

function startsWith(b: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > b.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
}

/** The kind of the header named by `b[start..end)`, case-insensitively. */
function headerKind(b: Buffer, start: number, end: number): Header {
  const n = end - start;
  if (n >= HEADER_NAME_LENGTHS.length || HEADER_NAME_LENGTHS[n] === 0) return Header.Other;
  return HEADER_KINDS.get(b.toString('latin1', start, end).toLowerCase()) ?? Header.Other;
}
