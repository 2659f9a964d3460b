/**
 * A small BEP 15 client for tests, on a real dgram socket (optionally bound to a chosen local
 * address such as 127.0.0.2), built on the project's own protocol codecs.
 */
import { createSocket, type Socket } from 'node:dgram';
import {
  EVENT_STARTED,
  decodeResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  encodeScrapeRequest,
  type AnnounceRequestParams,
  type Bep15Response,
} from '../../src/protocol/bep15/index.js';

export class UdpTestClient {
  private constructor(
    private readonly socket: Socket,
    readonly host: string,
    readonly port: number,
    readonly family: 4 | 6,
  ) {}

  static async open(target: { host: string; port: number }, localAddress?: string): Promise<UdpTestClient> {
    const family = target.host.includes(':') ? 6 : 4;
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, localAddress ?? (family === 6 ? '::1' : '127.0.0.1'), () => resolve());
    });
    return new UdpTestClient(socket, target.host, target.port, family);
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  /** Sends raw bytes and resolves with the reply, or null after `timeoutMs`. */
  request(packet: Uint8Array, timeoutMs = 1000): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        resolve(null);
      }, timeoutMs);
      const onMessage = (msg: Buffer) => {
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(msg);
      };
      this.socket.on('message', onMessage);
      this.socket.send(packet, this.port, this.host);
    });
  }

  /** Sends every packet at once, without waiting; resolves with the replies in arrival order. */
  burst(packets: readonly Uint8Array[], timeoutMs = 3000): Promise<Buffer[]> {
    return new Promise((resolve) => {
      const replies: Buffer[] = [];
      const done = () => {
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(replies);
      };
      const timer = setTimeout(done, timeoutMs);
      const onMessage = (msg: Buffer) => {
        replies.push(msg);
        if (replies.length === packets.length) done();
      };
      this.socket.on('message', onMessage);
      for (const packet of packets) this.socket.send(packet, this.port, this.host);
    });
  }

  async decoded(packet: Uint8Array): Promise<Bep15Response> {
    const reply = await this.request(packet);
    if (reply === null) throw new Error('no reply from the tracker');
    const decoded = decodeResponse(reply, this.family === 6 ? 18 : 6);
    if (!decoded.ok) throw new Error(`bad reply: ${decoded.error.message}`);
    return decoded.response;
  }

  async connect(transactionId = 1): Promise<Buffer> {
    const res = await this.decoded(encodeConnectRequest(transactionId));
    if (res.action !== 0) throw new Error(`expected a connect reply, got ${JSON.stringify(res)}`);
    return res.connectionId;
  }

  async announce(
    p: Partial<AnnounceRequestParams> & { infoHash: Uint8Array; peerId: Uint8Array },
  ): Promise<Bep15Response> {
    const connectionId = p.connectionId ?? (await this.connect());
    return this.decoded(
      encodeAnnounceRequest({
        transactionId: 7,
        event: EVENT_STARTED,
        port: this.localPort,
        left: 100,
        ...p,
        connectionId,
      }),
    );
  }

  async scrape(infoHashes: Uint8Array[], connectionId?: Buffer): Promise<Bep15Response> {
    const id = connectionId ?? (await this.connect());
    return this.decoded(encodeScrapeRequest(id, 9, infoHashes));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
