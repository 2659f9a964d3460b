/**
 * startOpentracker: runs Debian's `opentracker` (a tracker nobody here wrote) in the foreground on
 * loopback, on one free port for UDP and TCP, from a temporary config and whitelist (Debian builds
 * it whitelist-only, WANT_ACCESSLIST_WHITE), waits until it answers a BEP 15 connect, and returns
 * its URLs plus `close()`. Resolves to null when the binary is not installed, so a suite can skip.
 * Binary: $OPENTRACKER_BIN, else `opentracker` on PATH (CI: `apt-get install opentracker`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { decodeResponse, encodeConnectRequest } from '../../src/protocol/bep15/index.js';

export interface OpenTracker {
  readonly host: string;
  readonly port: number;
  /** `udp://127.0.0.1:PORT` */
  readonly udpUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly httpUrl: string;
  close(): Promise<void>;
}

/** The opentracker executable, or null when it is not installed. */
export function findOpentracker(): string | null {
  const candidates = process.env.OPENTRACKER_BIN
    ? [process.env.OPENTRACKER_BIN]
    : [...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'opentracker')), '/usr/bin/opentracker'];
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  return null;
}

/** A port free for both TCP and UDP on 127.0.0.1 (free when probed; opentracker binds it next). */
async function freeTcpUdpPort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP');
}

/** Resolves once a BEP 15 connect to host:port is answered, or rejects after `timeoutMs`. */
async function waitForConnectReply(host: string, port: number, exited: () => string | null, timeoutMs: number) {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout;
      socket.on('message', (msg) => {
        const decoded = decodeResponse(msg);
        if (decoded.ok && decoded.response.action === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.on('error', () => undefined); // ECONNREFUSED until it listens
      const probe = () => {
        const why = exited();
        if (why !== null) return reject(new Error(why));
        if (Date.now() > deadline) return reject(new Error(`opentracker did not answer on ${host}:${port}`));
        socket.send(encodeConnectRequest(0x0cafe), port, host);
        timer = setTimeout(probe, 100);
      };
      socket.bind(0, host, probe);
    });
  } finally {
    socket.close();
  }
}

export interface OpentrackerOptions {
  /** Hex info-hashes the tracker serves (its whitelist). */
  whitelist: readonly string[];
}

export async function startOpentracker(o: OpentrackerOptions): Promise<OpenTracker | null> {
  const binary = findOpentracker();
  if (binary === null) return null;
  const host = '127.0.0.1';
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'opentracker-'));
    // Run as root, opentracker chroots into its rootdir and drops to `nobody`, who must read it.
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'whitelist.txt'), o.whitelist.map((h) => `${h}\n`).join(''), { mode: 0o644 });
    const port = await freeTcpUdpPort(host);
    writeFileSync(
      join(dir, 'opentracker.conf'),
      [
        `listen.tcp_udp ${host}:${port}`,
        `tracker.rootdir ${dir}`,
        // relative to the rootdir: opentracker reads it after chroot/chdir
        'access.whitelist whitelist.txt',
        '',
      ].join('\n'),
      { mode: 0o644 },
    );
    const child: ChildProcess = spawn(binary, ['-f', join(dir, 'opentracker.conf')], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    let exit: string | null = null;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exit = `opentracker exited (${code ?? signal}): ${output.trim()}`;
        resolve();
      });
      child.once('error', (error) => {
        exit = `opentracker could not start: ${error.message}`;
        resolve();
      });
    });
    const stop = async () => {
      if (exit === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitForConnectReply(host, port, () => exit, 10_000);
    } catch (error) {
      lastError = error;
      await stop();
      continue;
    }
    return { host, port, udpUrl: `udp://${host}:${port}`, httpUrl: `http://${host}:${port}`, close: stop };
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
