/**
 * The tracker as an operator runs it, for the client tests: `node build/src/main.js` in a child
 * process, configured through TORRUST_TRACKER_CONFIG_TOML, with UDP and HTTP trackers on
 * 127.0.0.1 and [::1] (no UDP when private: UDP cannot carry a key), the REST API on 127.0.0.1
 * (token MyAccessToken) and SQLite in a temporary directory. The bound addresses are read from
 * the `Started on` lines; stdout and stderr are kept for the failure report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, waitFor, withTimeout } from './wait.js';

export const API_TOKEN = 'MyAccessToken';

export interface TrackerOptions {
  listed?: boolean;
  private?: boolean;
  /** Logging threshold; default "debug". */
  threshold?: string;
}

export interface TrackerProcess {
  readonly http4: string;
  readonly http6: string;
  /** Undefined for a private tracker. */
  readonly udp4: string | undefined;
  readonly udp6: string | undefined;
  readonly api: string;
  /** Everything the process wrote so far (stdout and stderr interleaved). */
  logs(): string;
  stop(): Promise<void>;
}

function configToml(dir: string, o: TrackerOptions): string {
  const lines = [
    '[metadata]',
    'schema_version = "2.0.0"',
    '[logging]',
    `threshold = "${o.threshold ?? 'debug'}"`,
    '[core]',
    `listed = ${o.listed ?? false}`,
    `private = ${o.private ?? false}`,
    '[core.database]',
    `path = ${JSON.stringify(join(dir, 'tracker.db'))}`,
  ];
  if (!o.private) {
    for (const bind of ['127.0.0.1:0', '[::1]:0']) lines.push('[[udp_trackers]]', `bind_address = "${bind}"`);
  }
  for (const bind of ['127.0.0.1:0', '[::1]:0']) lines.push('[[http_trackers]]', `bind_address = "${bind}"`);
  lines.push('[http_api]', 'bind_address = "127.0.0.1:0"', '[http_api.access_tokens]', `admin = "${API_TOKEN}"`);
  lines.push('[health_check_api]', 'bind_address = "127.0.0.1:0"');
  return lines.join('\n') + '\n';
}

export async function startTracker(o: TrackerOptions = {}): Promise<TrackerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'tracker-clients-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'build/src/main.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH, TORRUST_TRACKER_CONFIG_TOML: configToml(dir, o) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));

  const started = (kind: string, scheme: string, host: string): string | undefined =>
    // (?<!CHECK ): the REST API's line, not the HEALTH CHECK API's.
    new RegExp(`(?<!CHECK )${kind}: Started on:? (${scheme}://${host.replace(/[[\]]/g, '\\$&')}:\\d+)`).exec(out)?.[1];
  const stop = async (): Promise<void> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      try {
        await withTimeout(exited, 10_000, 'the tracker to exit after SIGTERM');
      } catch {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const api = await waitFor(
      () => {
        if (exitCode !== undefined) throw new Error(`the tracker exited with ${exitCode}:\n${out}`);
        return started('API', 'http', '127.0.0.1');
      },
      'the tracker to start',
      20_000,
    );
    const http4 = started('HTTP TRACKER', 'http', '127.0.0.1');
    const http6 = started('HTTP TRACKER', 'http', '[::1]');
    const udp4 = started('UDP TRACKER', 'udp', '127.0.0.1');
    const udp6 = started('UDP TRACKER', 'udp', '[::1]');
    if (!http4 || !http6 || (!o.private && (!udp4 || !udp6))) {
      throw new Error(`the tracker did not start every listener:\n${out}`);
    }
    return { http4, http6, udp4, udp6, api, logs: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
