/**
 * Test factories for the domain: `anAnnounce().forTorrent(1).fromPeer(7).seeding().build()`.
 * Torrents and peers are named by small numbers turned into 20-byte ids, addresses default
 * to 10.0.0.<peer>, so tests read as sentences and failures print readable values.
 */
import { AnnounceEvent, newAnnounceInput, type AnnounceInput } from '../types.js';

export function infoHashOf(n: number): Uint8Array {
  const b = new Uint8Array(20);
  b[0] = 0xab;
  b[16] = (n >>> 24) & 0xff;
  b[17] = (n >>> 16) & 0xff;
  b[18] = (n >>> 8) & 0xff;
  b[19] = n & 0xff;
  return b;
}

export function peerIdOf(n: number): Uint8Array {
  const b = new Uint8Array(20);
  const prefix = '-TS0001-';
  for (let i = 0; i < prefix.length; i++) b[i] = prefix.charCodeAt(i);
  b[16] = (n >>> 24) & 0xff;
  b[17] = (n >>> 16) & 0xff;
  b[18] = (n >>> 8) & 0xff;
  b[19] = n & 0xff;
  return b;
}

export function ipv4(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

export function ipv6(text: string): Uint8Array {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    b[i * 2] = v >> 8;
    b[i * 2 + 1] = v & 0xff;
  });
  return b;
}

export class AnnounceBuilder {
  private readonly input: AnnounceInput = newAnnounceInput();
  private peer = 1;
  private addressSet = false;

  constructor() {
    this.input.infoHash = infoHashOf(1);
    this.input.left = 1000;
    this.input.port = 6881;
  }

  forTorrent(n: number): this {
    this.input.infoHash = infoHashOf(n);
    return this;
  }

  fromPeer(n: number): this {
    this.peer = n;
    return this;
  }

  at(ip: string, port = 6881): this {
    this.input.family = ip.includes(':') ? 6 : 4;
    this.input.ip = this.input.family === 6 ? ipv6(ip) : ipv4(ip);
    this.input.port = port;
    this.addressSet = true;
    return this;
  }

  seeding(): this {
    this.input.left = 0;
    return this;
  }

  leeching(left = 1000): this {
    this.input.left = left;
    return this;
  }

  event(event: AnnounceEvent): this {
    this.input.event = event;
    return this;
  }

  started(): this {
    return this.event(AnnounceEvent.Started);
  }

  stopped(): this {
    return this.event(AnnounceEvent.Stopped);
  }

  completed(): this {
    return this.event(AnnounceEvent.Completed);
  }

  wanting(n: number): this {
    this.input.peersWanted = n;
    return this;
  }

  sameFamilyOnly(): this {
    this.input.sameFamilyOnly = true;
    return this;
  }

  build(): AnnounceInput {
    this.input.peerId = peerIdOf(this.peer);
    if (!this.addressSet) {
      this.input.family = 4;
      this.input.ip = Uint8Array.from([10, 0, (this.peer >> 8) & 0xff, this.peer & 0xff]);
      this.input.port = 6881;
    }
    return { ...this.input };
  }
}

export function anAnnounce(): AnnounceBuilder {
  return new AnnounceBuilder();
}
