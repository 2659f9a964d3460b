/**
 * UdpTrackerServer: a Nest custom transport (CustomTransportStrategy) owning one UDP socket of
 * one `[[udp_trackers]]` block. The socket handler calls the packet handler it was given at
 * bootstrap and sends its answer; it never throws. `[::]` binds are dual-stack (IPv4 clients
 * arrive IPv4-mapped and are answered in the IPv4 form).
 *
 * Answers are sent in bursts: the answers to the datagrams of one turn of the event loop (libuv
 * reads up to 32 per socket readiness) are queued and sent together from a `setImmediate`, not
 * one by one between reads. In alternating A/B runs on loopback this raised throughput by 5–43 %
 * (likely because the kernel's send path runs back to back and the client is woken once per
 * burst); an answer waits at most one turn of the loop. See
 * docs/adr/20261121193000_udp_answer_bursts.md.
 */
import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from 'node:dgram';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { UdpTrackerConfig } from '../config/configuration.js';
import type { BoundListener, BoundListeners } from '../listeners/bound-listeners.js';
import { RateLimitedLog } from '../shared/rate-limited-log.js';
import type { ListenerMetrics } from '../stats/listener-metrics.js';
import type { TrackerCounters } from '../stats/tracker-counters.js';
import type { UdpPacketHandler } from './udp-packet.handler.js';

/** Socket buffer sizes asked of the kernel (capped by net.core.rmem_max / wmem_max). */
const SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * The socket's address "lookup": answers go only to the address a datagram came from, always
 * an IP literal, so it is passed through synchronously. (The default, `dns.lookup`, defers
 * every send to the next tick; synchronous sends also let the handler reuse answer memory.)
 */
function literalAddress(
  address: string,
  family: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, family === 6 ? 6 : 4);
}

export class UdpTrackerServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('UDP TRACKER');
  private socket: Socket | null = null;
  private bound: BoundListener | null = null;
  private readonly sendErrors: RateLimitedLog;
  private readonly failures: RateLimitedLog;
  /** Answers of this turn of the event loop, waiting for `flush`: memory, port, address. */
  private readonly outAnswers: Buffer[] = [];
  private readonly outPorts: number[] = [];
  private readonly outAddresses: string[] = [];
  private flushScheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(
    private readonly config: UdpTrackerConfig,
    private readonly handler: UdpPacketHandler,
    private readonly counters: TrackerCounters,
    private readonly listeners: BoundListeners,
    private readonly metrics: ListenerMetrics,
  ) {
    super();
    this.sendErrors = new RateLimitedLog((m) => this.log.warn(m));
    this.failures = new RateLimitedLog((m) => this.log.error(m));
  }

  listen(done: (err?: unknown) => void): void {
    const { host, port, family } = this.config.bindAddress;
    const socket = createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      reuseAddr: false,
      lookup: literalAddress as unknown as SocketOptions['lookup'],
    });
    let listening = false;
    socket.on('error', (err) => {
      if (!listening) {
        done(new Error(`UDP tracker could not bind ${this.config.bindAddress.text}: ${err.message}`));
        return;
      }
      this.counters.udp_send_errors++;
      this.sendErrors.report(`UDP socket error on ${this.bound?.url}: ${err.message}`);
    });
    socket.on('message', (msg, from) => this.onMessage(msg, from));
    socket.bind(port, host, () => {
      listening = true;
      try {
        socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);
        socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
      } catch {
        // Kept at the system's default size.
      }
      const address = socket.address();
      this.socket = socket;
      this.bound = this.listeners.add('udp', this.config.bindAddress.text, address.address, address.port);
      this.metrics.listener = this.bound.url;
      this.log.log(`Started on: ${this.bound.url}`);
      done();
    });
  }

  /** The address actually bound (after `listen`). */
  get address(): BoundListener | null {
    return this.bound;
  }

  close(): Promise<void> {
    this.flush();
    const socket = this.socket;
    this.socket = null;
    if (this.bound) this.listeners.markStopped(this.bound);
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  on(): never {
    throw new Error('The UDP tracker transport has no events');
  }

  unwrap<T>(): T {
    return this.socket as T;
  }

  private onMessage(msg: Buffer, from: RemoteInfo): void {
    try {
      const out = this.handler.handle(msg, from);
      if (out === null) return;
      this.outAnswers.push(out);
      this.outPorts.push(from.port);
      this.outAddresses.push(from.address);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flushNow);
      }
    } catch (err) {
      this.counters.udp_handler_failures++;
      this.failures.report(
        `Failed to handle a ${msg.length}-byte datagram from ${from.address}: ${(err as Error).stack}`,
      );
    }
  }

  /** Sends the answers queued in this turn of the event loop, in the order the requests came. */
  private flush(): void {
    this.flushScheduled = false;
    const answers = this.outAnswers;
    const n = answers.length;
    if (n === 0) return;
    const socket = this.socket;
    if (socket !== null) {
      const ports = this.outPorts;
      const addresses = this.outAddresses;
      for (let i = 0; i < n; i++) {
        try {
          socket.send(answers[i], ports[i], addresses[i]);
        } catch (err) {
          this.counters.udp_send_errors++;
          this.sendErrors.report(`UDP send to ${addresses[i]} failed: ${(err as Error).message}`);
        }
      }
      // Sent synchronously unless the socket's send buffer was full: then libuv queued the
      // datagram and still points at its memory, which later answers must not overwrite.
      if (socket.getSendQueueCount() === 0) this.handler.buffers.reuse();
      else this.handler.buffers.abandon();
    } else this.handler.buffers.reuse();
    answers.length = 0;
    this.outPorts.length = 0;
    this.outAddresses.length = 0;
  }
}
