/**
 * createTestApp: starts the real tracker in-process from an ephemeral configuration (every
 * listener on 127.0.0.1:0 or [::1]:0, SQLite in a fresh temp directory) through the same
 * loader an operator's file goes through, and returns the addresses read back from the bound
 * sockets plus `close()`. Close it in `after`/`afterEach`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTracker, type RunningTracker } from '../../src/app.js';
import { loadConfiguration } from '../../src/config/loader.js';
import type { Clock } from '../../src/core/domain/ports.js';
import { BoundListeners, type BoundListener } from '../../src/listeners/bound-listeners.js';

export interface TestAppOptions {
  listed?: boolean;
  private?: boolean;
  /** Raw TOML lines added to `[core]` (e.g. `inactive_peer_cleanup_interval = 0`). */
  core?: string[];
  /** Raw TOML lines for `[core.tracker_policy]`. */
  trackerPolicy?: string[];
  /** Extra TOML sections appended verbatim (e.g. `[core.private_mode]`). */
  extraToml?: string;
  udp?: string[];
  http?: string[];
  /** `[[http_trackers]]` blocks given as whole TOML (for TLS). Overrides `http`. */
  httpBlocks?: string[];
  api?: boolean;
  udpServer?: string[];
  /** TORRUST_TRACKER_CONFIG_OVERRIDE_* variables, without the prefix. */
  overrides?: Record<string, string>;
  clock?: Clock;
  /** Database file to use (to reopen a database across restarts); default: fresh temp file. */
  databasePath?: string;
  threshold?: string;
}

export interface TestApp {
  readonly tracker: RunningTracker;
  readonly dir: string;
  readonly databasePath: string;
  readonly udp: readonly BoundListener[];
  readonly http: readonly BoundListener[];
  readonly api: BoundListener | undefined;
  close(): Promise<void>;
}

export function testConfigToml(dir: string, o: TestAppOptions = {}): string {
  const db = o.databasePath ?? join(dir, 'sqlite3.db');
  const lines = [
    '[metadata]',
    'schema_version = "2.0.0"',
    '[logging]',
    `threshold = "${o.threshold ?? 'error'}"`,
    '[core]',
    `listed = ${o.listed ?? false}`,
    `private = ${o.private ?? false}`,
    ...(o.core ?? []),
    '[core.database]',
    `path = ${JSON.stringify(db)}`,
    '[core.tracker_policy]',
    ...(o.trackerPolicy ?? []),
    '[udp_tracker_server]',
    ...(o.udpServer ?? []),
  ];
  for (const bind of o.udp ?? ['127.0.0.1:0']) lines.push('[[udp_trackers]]', `bind_address = "${bind}"`);
  if (o.httpBlocks) lines.push(...o.httpBlocks);
  else for (const bind of o.http ?? ['127.0.0.1:0']) lines.push('[[http_trackers]]', `bind_address = "${bind}"`);
  if (o.api ?? true) {
    lines.push('[http_api]', 'bind_address = "127.0.0.1:0"', '[http_api.access_tokens]', 'admin = "MyAccessToken"');
  }
  lines.push('[health_check_api]', 'bind_address = "127.0.0.1:0"');
  if (o.extraToml) lines.push(o.extraToml);
  return lines.join('\n') + '\n';
}

export async function createTestApp(o: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'tracker-test-'));
  const env: NodeJS.ProcessEnv = { TORRUST_TRACKER_CONFIG_TOML: testConfigToml(dir, o) };
  for (const [k, v] of Object.entries(o.overrides ?? {})) env[`TORRUST_TRACKER_CONFIG_OVERRIDE_${k}`] = v;
  const loaded = loadConfiguration(env, dir);
  if (!loaded.ok) throw new Error(`test configuration is invalid: ${JSON.stringify(loaded.problems)}`);
  const tracker = await startTracker(loaded.config, { clock: o.clock });
  const listeners = tracker.app.get(BoundListeners);
  return {
    tracker,
    dir,
    databasePath: loaded.config.core.database.path,
    udp: listeners.all('udp'),
    http: listeners.all('http'),
    api: listeners.all('api')[0],
    async close() {
      await tracker.close();
      if (!o.databasePath) rmSync(dir, { recursive: true, force: true });
    },
  };
}
