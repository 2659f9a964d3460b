/**
 * One client-test scenario: its temp directory, payloads and .torrent files, the clients it
 * starts (always stopped at the end), and on failure an error carrying the tail of the
 * tracker's log since the scenario began and of every client's log.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiTorrent, type ApiTorrent } from './api.js';
import { Aria2Peer, LibtorrentPeer, type ClientKind, type Peer } from './peers.js';
import { makePayload, makeTorrent, type Torrent } from './torrent.js';
import type { TrackerProcess } from './tracker-process.js';
import { waitFor } from './wait.js';

/** Payload size: several MiB, in 32 KiB pieces. */
export const PAYLOAD_SIZE = 6 * 1024 * 1024 + 12_345;
/** Bound for one transfer of PAYLOAD_SIZE on loopback (normally well under 5 s). */
export const TRANSFER_TIMEOUT = 45_000;
/** Bound for one announce round trip to show up at the tracker. */
export const ANNOUNCE_TIMEOUT = 15_000;

/** Hands out distinct loopback addresses (`prefix.2`, `prefix.3`, …), one a client. */
export class AddressPool {
  private next = 2;
  constructor(private readonly prefix: string) {}

  take(): string {
    if (this.next > 254) throw new Error(`address pool ${this.prefix} exhausted`);
    return `${this.prefix}.${this.next++}`;
  }
}

interface StartOptions {
  torrent: Torrent;
  torrentFile: string;
  /** Default: the next address of the pool. */
  address?: string;
  seed?: boolean;
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`… (${all.length - lines} earlier lines)`] : []).concat(all.slice(-lines)).join('\n');
}

export class Scenario {
  readonly peers: Peer[] = [];
  private seq = 0;
  private constructor(
    readonly tracker: TrackerProcess,
    readonly dir: string,
    private readonly pool: AddressPool,
  ) {}

  static async run(tracker: TrackerProcess, pool: AddressPool, body: (s: Scenario) => Promise<void>): Promise<void> {
    const s = new Scenario(tracker, mkdtempSync(join(tmpdir(), 'tracker-clients-scenario-')), pool);
    const trackerLogStart = tracker.logs().length;
    try {
      await body(s);
    } catch (err) {
      const report = [
        err instanceof Error ? (err.stack ?? err.message) : String(err),
        '',
        '======== tracker log (this scenario) ========',
        tail(tracker.logs().slice(trackerLogStart), 200) || '(nothing)',
        ...s.peers.flatMap((p) => [
          '',
          `======== ${p.client} "${p.name}" on ${p.peerAddr} ========`,
          tail(p.logs(), p.client === 'aria2' ? 120 : 80),
        ]),
      ].join('\n');
      throw new Error(report, { cause: err });
    } finally {
      await Promise.all(s.peers.map((p) => p.stop().catch(() => undefined)));
      rmSync(s.dir, { recursive: true, force: true });
    }
  }

  /** A random payload and its v1 torrent. */
  torrent(name: string, o: { private?: boolean; size?: number } = {}): Torrent {
    const payload = makePayload(join(this.dir, 'payloads'), `${name}.bin`, o.size ?? PAYLOAD_SIZE);
    return makeTorrent(payload, { private: o.private });
  }

  torrentFile(torrent: Torrent, announce: string): string {
    return torrent.write(join(this.dir, `${torrent.payload.name}.${++this.seq}.torrent`), announce);
  }

  private peerDir(name: string): string {
    const dir = join(this.dir, `${++this.seq}-${name.replace(/\W+/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async libtorrent(name: string, o: StartOptions): Promise<LibtorrentPeer> {
    const peer = await LibtorrentPeer.start({
      ...o,
      name,
      dir: this.peerDir(name),
      address: o.address ?? this.pool.take(),
    });
    this.peers.push(peer);
    return peer;
  }

  async aria2(name: string, o: StartOptions & { udpTracker?: boolean }): Promise<Aria2Peer> {
    const peer = await Aria2Peer.start({ ...o, name, dir: this.peerDir(name), address: o.address ?? this.pool.take() });
    this.peers.push(peer);
    return peer;
  }

  /** Starts a client of the given kind (`udpTracker` matters to aria2 only). */
  start(kind: ClientKind, name: string, o: StartOptions & { udpTracker?: boolean }): Promise<Peer> {
    return kind === 'libtorrent' ? this.libtorrent(name, o) : this.aria2(name, o);
  }

  /** Waits until the tracker lists `peer` (at its own address and port) in the torrent's swarm. */
  async registered(torrent: Torrent, peer: Peer, as: 'seeder' | 'leecher' = 'seeder'): Promise<ApiTorrent> {
    return waitFor(
      async () => {
        const t = await apiTorrent(this.tracker, torrent.infoHashHex);
        const p = t?.peers.find((x) => x.peer_addr === peer.peerAddr);
        return p && (as === 'seeder' ? p.left === 0 : p.left > 0) ? t : undefined;
      },
      `the tracker to list ${peer.client} "${peer.name}" as ${as} at ${peer.peerAddr}`,
      ANNOUNCE_TIMEOUT,
    );
  }

  /** Waits for the leecher to complete and compares the file it wrote with the payload. */
  async transferred(torrent: Torrent, leecher: Peer, timeoutMs = TRANSFER_TIMEOUT): Promise<void> {
    await leecher.waitComplete(timeoutMs);
    // The client may report completion a moment before its last write reaches the file.
    await waitFor(() => (leecher.fileSha256() === torrent.payload.sha256 ? true : undefined), 'the file', 5_000).catch(
      () => undefined,
    );
    assert.equal(leecher.fileSha256(), torrent.payload.sha256, `${leecher.name}: SHA-256 of the downloaded file`);
  }
}
