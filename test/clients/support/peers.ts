/**
 * Real BitTorrent clients as child processes, each bound to its own loopback address, with
 * DHT, PEX and local peer discovery off, so the tracker is the only way they meet:
 *
 * - libtorrent-rasterbar through test/clients/support/lt_peer.py (one session per process),
 *   which reports its alerts and status as JSON lines;
 * - aria2 (aria2c), watched through its JSON-RPC interface on 127.0.0.1 with a random secret;
 *   its log (level info) goes to stdout. aria2 can only speak UDP tracker through its DHT
 *   socket: for `udpTracker` it runs with DHT "enabled" but with no entry point, an empty
 *   routing table, and a torrent that must be private (BEP 27), for which aria2 never uses DHT.
 *
 * Every client ends with the test process (lt_peer.py on stdin EOF, aria2 by --stop-with-process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARIA2C, LT_PYTHON } from './clients.js';
import { sha256, type Torrent } from './torrent.js';
import { freePort, ROOT, waitFor, withTimeout } from './wait.js';

export type ClientKind = 'libtorrent' | 'aria2';

export interface PeerOptions {
  /** For the report: e.g. "seeder", "leecher 3". */
  name: string;
  torrent: Torrent;
  /** The .torrent file to load (it carries the announce URL). */
  torrentFile: string;
  /** The loopback address to bind: 127.x.y.z or ::1. */
  address: string;
  /** Working directory of this peer (its download directory is `dir/data`). */
  dir: string;
  seed?: boolean;
}

export interface Peer {
  readonly client: ClientKind;
  readonly name: string;
  readonly address: string;
  /** The TCP port it accepts peers on. */
  readonly port: number;
  /** `address:port` as the tracker should hand it out (`[::1]:port` for IPv6). */
  readonly peerAddr: string;
  /** Where the payload is (seeder) or lands (leecher). */
  readonly filePath: string;
  /** Resolves once the client reports the whole payload as downloaded and verified. */
  waitComplete(timeoutMs: number): Promise<void>;
  /** The SHA-256 of the file on disk, or undefined when there is no file. */
  fileSha256(): string | undefined;
  logs(): string;
  stop(): Promise<void>;
}

interface ChildHandle {
  child: ChildProcess;
  exited: Promise<void>;
  exitCode(): number | null | undefined;
  output(): string;
}

function spawnLogged(command: string, args: string[], cwd: string, stdin: 'pipe' | 'ignore'): ChildHandle {
  const child = spawn(command, args, { cwd, stdio: [stdin, 'pipe', 'pipe'] });
  let out = '';
  let code: number | null | undefined;
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (c, signal) => {
      code = c ?? -1;
      out += `\n[process exited: code ${c}, signal ${signal}]\n`;
      resolve();
    });
    child.on('error', (err) => {
      code ??= -1;
      out += `\n[${command}: ${err.message}]\n`;
      resolve();
    });
  });
  return { child, exited, exitCode: () => code, output: () => out };
}

/** Ends the client: SIGTERM, SIGKILL after 5 s. */
async function stopChild(h: ChildHandle): Promise<void> {
  if (h.exitCode() !== undefined) return;
  h.child.stdin?.end();
  h.child.kill('SIGTERM');
  try {
    await withTimeout(h.exited, 5_000, 'the client to exit');
  } catch {
    h.child.kill('SIGKILL');
    await h.exited;
  }
}

function prepare(o: PeerOptions): { data: string; filePath: string } {
  const data = join(o.dir, 'data');
  mkdirSync(data, { recursive: true });
  const filePath = join(data, o.torrent.payload.name);
  if (o.seed) copyFileSync(o.torrent.payload.path, filePath);
  return { data, filePath };
}

function peerAddr(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function fileSha256(path: string): string | undefined {
  return existsSync(path) ? sha256(readFileSync(path)) : undefined;
}

// ---- libtorrent ---------------------------------------------------------------------------

export interface LtEvent {
  t: string;
  [field: string]: unknown;
}

export class LibtorrentPeer implements Peer {
  readonly client = 'libtorrent';
  port = 0;
  private constructor(
    readonly name: string,
    readonly address: string,
    readonly filePath: string,
    private readonly handle: ChildHandle,
  ) {}

  static async start(o: PeerOptions): Promise<LibtorrentPeer> {
    const { data, filePath } = prepare(o);
    const args = [join(ROOT, 'test/clients/support/lt_peer.py'), '--torrent', o.torrentFile, '--save', data];
    args.push('--listen', o.address, '--name', o.name, ...(o.seed ? ['--seed'] : []));
    const peer = new LibtorrentPeer(o.name, o.address, filePath, spawnLogged(LT_PYTHON, args, o.dir, 'pipe'));
    await peer.waitEvent((e) => e.t === 'added', 'the torrent to be added', 15_000);
    const listen = await peer.waitEvent((e) => e.t === 'listen' && e.socket === 'tcp', 'its TCP listen socket', 15_000);
    peer.port = listen.port as number;
    return peer;
  }

  get peerAddr(): string {
    return peerAddr(this.address, this.port);
  }

  events(): LtEvent[] {
    const events: LtEvent[] = [];
    for (const line of this.handle.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        events.push(JSON.parse(line) as LtEvent);
      } catch {
        // a line still being written
      }
    }
    return events;
  }

  lastStatus(): LtEvent | undefined {
    return this.events()
      .filter((e) => e.t === 'status')
      .at(-1);
  }

  async waitEvent(match: (e: LtEvent) => boolean, what: string, timeoutMs: number): Promise<LtEvent> {
    return waitFor(
      () => {
        const found = this.events().find(match);
        if (found) return found;
        if (this.handle.exitCode() !== undefined) throw new Error(`${this.name} exited while waiting for ${what}`);
        return undefined;
      },
      `${this.name} (libtorrent ${this.address}): ${what}`,
      timeoutMs,
    );
  }

  async waitComplete(timeoutMs: number): Promise<void> {
    await this.waitEvent((e) => e.t === 'finished', 'the whole payload', timeoutMs);
  }

  fileSha256(): string | undefined {
    return fileSha256(this.filePath);
  }

  logs(): string {
    return this.handle.output();
  }

  stop(): Promise<void> {
    return stopChild(this.handle);
  }
}

// ---- aria2 --------------------------------------------------------------------------------

export interface Aria2Status {
  gid: string;
  status: string;
  totalLength: string;
  completedLength: string;
  connections: string;
  numSeeders?: string;
  seeder?: string;
  errorMessage?: string;
}

export class Aria2Peer implements Peer {
  readonly client = 'aria2';
  private constructor(
    readonly name: string,
    readonly address: string,
    readonly filePath: string,
    readonly port: number,
    private readonly handle: ChildHandle,
    private readonly rpcPort: number,
    private readonly secret: string,
  ) {}

  static async start(o: PeerOptions & { udpTracker?: boolean }): Promise<Aria2Peer> {
    if (o.udpTracker && !o.torrent.private) throw new Error('aria2 on a UDP tracker needs a private torrent (DHT)');
    const { data, filePath } = prepare(o);
    const ipv6 = o.address.includes(':');
    const rpcPort = await freePort();
    const listenPort = await freePort(o.address);
    const secret = randomBytes(12).toString('hex');
    const args = [
      '--quiet=true',
      '--log=-',
      '--log-level=info',
      `--stop-with-process=${process.pid}`,
      '--enable-rpc=true',
      `--rpc-listen-port=${rpcPort}`,
      '--rpc-listen-all=false',
      `--rpc-secret=${secret}`,
      `--interface=${o.address}`,
      `--disable-ipv6=${!ipv6}`,
      `--listen-port=${listenPort}`,
      '--bt-enable-lpd=false',
      '--enable-peer-exchange=false',
      '--enable-dht6=false',
      ...(o.udpTracker
        ? ['--enable-dht=true', `--dht-listen-port=${listenPort}`, `--dht-file-path=${join(o.dir, 'dht.dat')}`]
        : ['--enable-dht=false']),
      '--bt-tracker-connect-timeout=5',
      '--bt-tracker-timeout=5',
      // Seed until stopped: a leecher that completes sends event=completed and stays a seeder.
      '--seed-ratio=0.0',
      '--seed-time=30',
      `--check-integrity=${o.seed ?? false}`,
      '--file-allocation=none',
      '--disk-cache=0',
      '--summary-interval=0',
      '--auto-save-interval=0',
      `--dir=${data}`,
      o.torrentFile,
    ];
    const child = spawnLogged(ARIA2C, args, o.dir, 'ignore');
    const peer = new Aria2Peer(o.name, o.address, filePath, listenPort, child, rpcPort, secret);
    await peer.waitStatus((s) => s !== undefined, 'its JSON-RPC interface', 15_000);
    return peer;
  }

  get peerAddr(): string {
    return peerAddr(this.address, this.port);
  }

  private async rpc<T>(method: string, params: unknown[]): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.rpcPort}/jsonrpc`, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 'test', method, params: [`token:${this.secret}`, ...params] }),
      signal: AbortSignal.timeout(3_000),
    });
    const body = (await res.json()) as { result?: T; error?: unknown };
    if (body.error) throw new Error(`aria2 ${method}: ${JSON.stringify(body.error)}`);
    return body.result as T;
  }

  /** The download's status, or undefined while the RPC interface is not up yet. */
  async status(): Promise<Aria2Status | undefined> {
    const keys = [
      'gid',
      'status',
      'totalLength',
      'completedLength',
      'connections',
      'numSeeders',
      'seeder',
      'errorMessage',
    ];
    try {
      const active = await this.rpc<Aria2Status[]>('aria2.tellActive', [keys]);
      if (active.length > 0) return active[0];
      const stopped = await this.rpc<Aria2Status[]>('aria2.tellStopped', [0, 10, keys]);
      if (stopped.length > 0) return stopped[0];
      const waiting = await this.rpc<Aria2Status[]>('aria2.tellWaiting', [0, 10, keys]);
      return waiting[0];
    } catch {
      return undefined;
    }
  }

  async waitStatus(
    match: (s: Aria2Status | undefined) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<Aria2Status | null> {
    return waitFor(
      async () => {
        if (this.handle.exitCode() !== undefined) throw new Error(`${this.name} exited while waiting for ${what}`);
        const s = await this.status();
        return match(s) ? (s ?? null) : undefined;
      },
      `${this.name} (aria2 ${this.address}): ${what}`,
      timeoutMs,
    );
  }

  async waitComplete(timeoutMs: number): Promise<void> {
    await this.waitStatus(
      (s) => s !== undefined && s.totalLength !== '0' && s.completedLength === s.totalLength,
      'the whole payload',
      timeoutMs,
    );
  }

  fileSha256(): string | undefined {
    return fileSha256(this.filePath);
  }

  logs(): string {
    return this.handle.output();
  }

  stop(): Promise<void> {
    // SIGTERM: aria2 stops at once (announcing event=stopped); its RPC shutdown waits 3 s first.
    return stopChild(this.handle);
  }
}
