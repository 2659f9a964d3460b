/**
 * Configuration loader: Torrust schema 2.0.0 TOML (from TORRUST_TRACKER_CONFIG_TOML, the file at
 * TORRUST_TRACKER_CONFIG_TOML_PATH, or the development default) plus TORRUST_TRACKER_CONFIG_OVERRIDE_*
 * variables, turned into a typed `Configuration` or into the complete list of problems found.
 * Checks single values (types, ranges, socket addresses) and cross-field rules; checks that need
 * the file system (TLS files, SQLite directory) live in environment-checks.ts.
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type {
  Configuration,
  CoreConfig,
  DatabaseDriver,
  ForwarderConfig,
  ForwarderProtocol,
  ForwardingConfig,
  HealthCheckApiConfig,
  HttpApiConfig,
  HttpTrackerConfig,
  LogStyle,
  LogThreshold,
  ReverseProxyHeader,
  ShutdownConfig,
  SocketAddress,
  TlsConfig,
  UdpTrackerConfig,
  UdpTrackerServerConfig,
} from './configuration.js';
import { parseForwardersFile } from './forwarders-file.js';
import { maskForwarderUri, maskUrlPassword, SECRET_MASK } from './mask.js';

/** Whole TOML document in an environment variable; wins over any file. */
export const ENV_CONFIG_TOML = 'TORRUST_TRACKER_CONFIG_TOML';
/** Path of the TOML file when ENV_CONFIG_TOML is not set. */
export const ENV_CONFIG_TOML_PATH = 'TORRUST_TRACKER_CONFIG_TOML_PATH';
/** Prefix of single-value overrides: `TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER=mysql`. */
export const ENV_OVERRIDE_PREFIX = 'TORRUST_TRACKER_CONFIG_OVERRIDE_';
const OVERRIDE_SEPARATOR = '__';
/** Relative to the working directory, as in Torrust. */
export const DEFAULT_CONFIG_TOML_PATH = './share/default/config/tracker.development.sqlite3.toml';
export const SUPPORTED_SCHEMA_VERSION = '2.0.0';

/** One thing wrong with the configuration: where (`core.listed`), what was there, which rule it breaks. */
export interface ConfigProblem {
  /** Key path (`udp_trackers[0].bind_address`), or the source name for a document that cannot be read. */
  readonly path: string;
  /** The offending value, secrets already masked; absent when the rule text says it all. */
  readonly value?: unknown;
  /** Reads after the value: `is not a boolean`, or a whole sentence when there is no value. */
  readonly rule: string;
}

export type ConfigResult =
  | {
      readonly ok: true;
      readonly config: Configuration;
      /** Where the TOML came from: a file path as given, or the environment variable's name. */
      readonly source: string;
      /** Names of the TORRUST_TRACKER_CONFIG_OVERRIDE_* variables applied, sorted. */
      readonly overrides: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[]; readonly source: string };

const MANDATORY_OPTIONS = ['metadata.schema_version', 'logging.threshold', 'core.private', 'core.listed'] as const;
const LOG_THRESHOLDS: readonly LogThreshold[] = ['off', 'error', 'warn', 'info', 'debug', 'trace'];
const LOG_STYLES: readonly LogStyle[] = ['text', 'json'];
const DATABASE_DRIVERS: readonly DatabaseDriver[] = ['sqlite3', 'mysql'];
const REVERSE_PROXY_HEADERS: readonly ReverseProxyHeader[] = ['x-forwarded-for', 'x-real-ip'];
const U32_MAX = 4_294_967_295;
const U64_MAX_SAFE = Number.MAX_SAFE_INTEGER;
const PRIVATE_MODE_TEXT =
  'Private mode section in configuration can only be included when the tracker is running in private mode.';

/**
 * Loads and validates the configuration. Never throws for bad input: every problem found is
 * returned at once, and no bad value is ever replaced by a default.
 */
export function loadConfiguration(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ConfigResult {
  const document = readDocument(env, cwd);
  if (!document.ok) return { ok: false, problems: [document.problem], source: document.source };

  const problems: ConfigProblem[] = [];
  const overrides = applyOverrides(document.root, env, problems);

  for (const path of MANDATORY_OPTIONS) {
    if (lookup(document.root, path.split('.')) === undefined) {
      problems.push({ path, rule: `Missing mandatory configuration option. Option path: ${path}` });
    }
  }

  const config = buildConfiguration(document.root, problems, cwd);
  validateConsistency(document.root, config, problems);

  if (problems.length > 0) return { ok: false, problems, source: document.source };
  return { ok: true, config, source: document.source, overrides };
}

/**
 * Renders problems for the operator, one per line:
 * `udp_trackers[0].bind_address: "0.0.0.0:70000" is not a valid socket address (port must be 0-65535)`.
 */
export function formatProblems(problems: readonly ConfigProblem[], source?: string): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  const lines = problems.map((p) => `  ${p.path}: ${p.value === undefined ? '' : `${formatValue(p.value)} `}${p.rule}`);
  return [`Invalid configuration (${count})${source === undefined ? '' : ` from ${source}`}:`, ...lines].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Source document

type Table = Record<string, unknown>;

type Document = { ok: true; root: Table; source: string } | { ok: false; problem: ConfigProblem; source: string };

function readDocument(env: NodeJS.ProcessEnv, cwd: string): Document {
  const inline = env[ENV_CONFIG_TOML];
  if (inline !== undefined) {
    const source = `environment variable ${ENV_CONFIG_TOML}`;
    return parseDocument(inline, source);
  }
  const given = env[ENV_CONFIG_TOML_PATH];
  const path = given !== undefined && given !== '' ? given : DEFAULT_CONFIG_TOML_PATH;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      // As Torrust (figment's Toml::file): a missing file is an empty document.
      return { ok: true, root: newTable(), source: `${path} (file not found, read as an empty document)` };
    }
    return {
      ok: false,
      source: path,
      problem: { path, rule: `cannot be read: ${errorMessage(error)}` },
    };
  }
  return parseDocument(text, path);
}

function parseDocument(text: string, source: string): Document {
  try {
    // Big integers become bigint instead of failing the whole document, so a range problem
    // can name the key.
    const root = parse(text, { integersAsBigInt: 'asNeeded' }) as Table;
    return { ok: true, root, source };
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') ?? 'invalid TOML';
      return {
        ok: false,
        source,
        problem: { path: source, rule: `is not valid TOML: ${reason} (line ${error.line}, column ${error.column})` },
      };
    }
    return { ok: false, source, problem: { path: source, rule: `is not valid TOML: ${errorMessage(error)}` } };
  }
}

// ---------------------------------------------------------------------------------------------
// Environment overrides

/**
 * A value set by a TORRUST_TRACKER_CONFIG_OVERRIDE_* variable. `value` is the TOML-like scalar
 * (`true` → boolean, `42` → number, otherwise the string); `text` is the string reading, used
 * when the key expects a string, so `..._ACCESS_TOKENS__ADMIN=12345` is the token "12345".
 */
class OverrideValue {
  constructor(
    readonly envVar: string,
    readonly text: string,
    readonly value: boolean | number | bigint | string,
  ) {}
}

function parseOverrideScalar(envVar: string, raw: string): OverrideValue {
  if (raw === 'true' || raw === 'false') return new OverrideValue(envVar, raw, raw === 'true');
  if (/^[+-]?\d+$/.test(raw)) {
    const big = BigInt(raw);
    const value = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(U64_MAX_SAFE) ? Number(big) : big;
    return new OverrideValue(envVar, raw, value);
  }
  const quoted = /^"(.*)"$/s.exec(raw) ?? /^'(.*)'$/s.exec(raw);
  if (quoted) {
    let text = quoted[1] ?? '';
    if (raw.startsWith('"')) {
      try {
        text = JSON.parse(raw) as string;
      } catch {
        // not JSON-escaped: keep the text between the quotes
      }
    }
    return new OverrideValue(envVar, text, text);
  }
  return new OverrideValue(envVar, raw, raw);
}

/**
 * Applies every TORRUST_TRACKER_CONFIG_OVERRIDE_* variable (in name order) to the document:
 * `CORE__DATABASE__DRIVER` → core.database.driver. Missing tables are created. Extension: a
 * numeric segment addresses an entry of an array of tables (`UDP_TRACKERS__0__BIND_ADDRESS`);
 * the index may be the array's length, which appends a new entry.
 */
function applyOverrides(root: Table, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): string[] {
  const names = Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith(ENV_OVERRIDE_PREFIX) && env[name] !== undefined)
    .sort();
  const applied: string[] = [];
  for (const name of names) {
    const segments = name
      .slice(ENV_OVERRIDE_PREFIX.length)
      .split(OVERRIDE_SEPARATOR)
      .map((s) => s.toLowerCase());
    if (segments.some((s) => s === '')) {
      problems.push({ path: name, rule: 'is not a valid override name (empty path segment)' });
      continue;
    }
    const error = setPath(root, segments, parseOverrideScalar(name, env[name] ?? ''));
    if (error !== undefined) problems.push({ path: name, rule: `cannot be applied: ${error}` });
    else applied.push(name);
  }
  return applied;
}

function setPath(root: Table, segments: readonly string[], value: OverrideValue): string | undefined {
  let container: Table | unknown[] = root;
  const done: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(segments[i + 1] as string);
    if (Array.isArray(container)) {
      if (!/^\d+$/.test(segment)) return `${pathText(done)} is an array; "${segment}" is not an index`;
      const index = Number(segment);
      if (index > container.length) {
        return `${pathText(done)} has ${container.length} entries; index ${index} would leave a gap`;
      }
      if (last) {
        container[index] = value;
        return undefined;
      }
      if (index === container.length) container.push(newTable());
      const child: unknown = container[index];
      if (!isTable(child)) return `${pathText([...done, segment])} is not a table`;
      container = child;
    } else {
      if (last) {
        container[segment] = value;
        return undefined;
      }
      let child: unknown = Object.hasOwn(container, segment) ? container[segment] : undefined;
      if (child === undefined) {
        child = nextIsIndex ? [] : newTable();
        container[segment] = child;
      }
      if (Array.isArray(child)) {
        if (!nextIsIndex) return `${pathText([...done, segment])} is an array: address an entry by its index`;
        container = child;
      } else if (isTable(child)) {
        container = child;
      } else {
        return `${pathText([...done, segment])} is not a table`;
      }
    }
    done.push(segment);
  }
  return undefined;
}

function pathText(segments: readonly string[]): string {
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  return out === '' ? '(root)' : out;
}

// ---------------------------------------------------------------------------------------------
// Reading typed values

/** Collects problems while reading; every reader returns a placeholder when the value is bad. */
class Reader {
  constructor(readonly problems: ConfigProblem[]) {}

  report(path: string, rule: string, value?: unknown): void {
    let shown = value;
    let suffix = '';
    if (value instanceof OverrideValue) {
      shown = value.text;
      suffix = ` (set by ${value.envVar})`;
    }
    if (shown !== undefined) shown = maskProblemValue(path, shown);
    this.problems.push(
      shown === undefined ? { path, rule: rule + suffix } : { path, value: shown, rule: rule + suffix },
    );
  }

  /** A sub-table: undefined when absent, null when present but not a table (reported). */
  table(parent: Table | undefined, key: string, path: string): Table | null | undefined {
    const value = get(parent, key);
    if (value === undefined) return undefined;
    if (isTable(value)) return value;
    this.report(path, 'is not a table', value);
    return null;
  }

  /** An array of tables: undefined when absent, null when present but not an array (reported). */
  tables(parent: Table | undefined, key: string, path: string): Array<{ table: Table; path: string }> | undefined {
    const value = get(parent, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.report(path, 'is not an array of tables', value);
      return [];
    }
    const out: Array<{ table: Table; path: string }> = [];
    value.forEach((entry: unknown, index) => {
      const entryPath = `${path}[${index}]`;
      if (isTable(entry)) out.push({ table: entry, path: entryPath });
      else this.report(entryPath, 'is not a table', entry);
    });
    return out;
  }

  boolean(parent: Table | undefined, key: string, path: string, fallback: boolean): boolean {
    const raw = get(parent, key);
    if (raw === undefined) return fallback;
    const value = raw instanceof OverrideValue ? raw.value : raw;
    if (typeof value === 'boolean') return value;
    this.report(path, 'is not a boolean', raw);
    return fallback;
  }

  string(parent: Table | undefined, key: string, path: string, fallback: string): string {
    const raw = get(parent, key);
    if (raw === undefined) return fallback;
    if (raw instanceof OverrideValue) return raw.text;
    if (typeof raw === 'string') return raw;
    this.report(path, 'is not a string', raw);
    return fallback;
  }

  /** A non-negative integer in [min, max] (u32: max 4294967295; u64: up to 2^53-1 here). */
  integer(parent: Table | undefined, key: string, path: string, fallback: number, min: number, max: number): number {
    const raw = get(parent, key);
    if (raw === undefined) return fallback;
    const value = raw instanceof OverrideValue ? raw.value : raw;
    if (typeof value === 'bigint') {
      this.report(path, `is out of range (must be an integer from ${min} to ${max})`, raw);
      return fallback;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.report(path, 'is not an integer', raw);
      return fallback;
    }
    if (value < min || value > max) {
      this.report(path, `is out of range (must be an integer from ${min} to ${max})`, raw);
      return fallback;
    }
    return value;
  }

  /** A number of seconds in [min, max], fractions allowed (`0.5`). */
  seconds(parent: Table | undefined, key: string, path: string, fallback: number, min: number, max: number): number {
    const raw = get(parent, key);
    if (raw === undefined) return fallback;
    let value = raw instanceof OverrideValue ? raw.value : raw;
    if (raw instanceof OverrideValue && typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) value = Number(value);
    if (typeof value === 'bigint' || (typeof value === 'number' && (value < min || value > max))) {
      this.report(path, `is out of range (must be a number of seconds from ${min} to ${max})`, raw);
      return fallback;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.report(path, 'is not a number', raw);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(
    parent: Table | undefined,
    key: string,
    path: string,
    fallback: T,
    allowed: readonly T[],
    what: string,
  ): T {
    const raw = get(parent, key);
    if (raw === undefined) return fallback;
    const text = raw instanceof OverrideValue ? raw.text : raw;
    if (typeof text !== 'string') {
      this.report(path, 'is not a string', raw);
      return fallback;
    }
    if ((allowed as readonly string[]).includes(text)) return text as T;
    this.report(path, `is not ${what} (${allowed.join(', ')})`, raw);
    return fallback;
  }

  socketAddress(parent: Table | undefined, key: string, path: string, fallback: string): SocketAddress {
    const placeholder = parseSocketAddress(fallback) as SocketAddress;
    const raw = get(parent, key);
    if (raw === undefined) return placeholder;
    const text = raw instanceof OverrideValue ? raw.text : raw;
    if (typeof text !== 'string') {
      this.report(path, 'is not a string', raw);
      return placeholder;
    }
    const parsed = parseSocketAddress(text);
    if (typeof parsed === 'string') {
      this.report(path, `is not a valid socket address (${parsed})`, raw);
      return placeholder;
    }
    return parsed;
  }

  tls(parent: Table | undefined, path: string): TlsConfig | null {
    const table = this.table(parent, 'tsl_config', `${path}.tsl_config`);
    if (!table) return null;
    const certPath = this.string(table, 'ssl_cert_path', `${path}.tsl_config.ssl_cert_path`, '');
    const keyPath = this.string(table, 'ssl_key_path', `${path}.tsl_config.ssl_key_path`, '');
    for (const [name, value] of [
      ['ssl_cert_path', certPath],
      ['ssl_key_path', keyPath],
    ] as const) {
      if (value === '' && !isWrongType(get(table, name))) {
        this.report(
          `${path}.tsl_config.${name}`,
          'must name a file: both paths are required when tsl_config is present',
        );
      }
    }
    return { certPath, keyPath };
  }
}

/**
 * Parses `ip:port` as Rust's `SocketAddr` does: an IPv4 literal, or an IPv6 literal in brackets,
 * then a port 0-65535. Host names are rejected. Returns the address, or the reason it is invalid.
 */
export function parseSocketAddress(text: string): SocketAddress | string {
  let host: string;
  let portText: string;
  let family: 4 | 6;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return 'expected [ipv6]:port';
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (host.includes('%') || !isIPv6(host)) return `"${host}" is not an IPv6 address`;
    host = canonicalIpv6(host);
    family = 6;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return 'expected ip:port';
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) return 'an IPv6 address must be written in brackets, as [::]:6969';
    if (!isIPv4(host)) {
      return /[a-z]/i.test(host)
        ? 'the host must be an IP address; host names are not accepted'
        : `"${host}" is not an IPv4 address`;
    }
    family = 4;
  }
  if (!/^\d+$/.test(portText)) return 'the port must be a number from 0 to 65535';
  const port = Number(portText);
  if (port > 65535) return 'port must be 0-65535';
  return { host, port, family, text: family === 6 ? `[${host}]:${port}` : `${host}:${port}` };
}

function canonicalIpv6(host: string): string {
  const canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const hi = parseInt(mapped[1] as string, 16);
  const lo = parseInt(mapped[2] as string, 16);
  return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** An IP literal in canonical form, or undefined. */
function canonicalIp(text: string): string | undefined {
  if (isIPv4(text)) return text;
  if (isIPv6(text) && !text.includes('%')) return canonicalIpv6(text);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Building the configuration

function buildConfiguration(root: Table, problems: ConfigProblem[], cwd: string): Configuration {
  const r = new Reader(problems);

  const metadata = r.table(root, 'metadata', 'metadata') ?? undefined;
  const app = r.oneOf(metadata, 'app', 'metadata.app', 'torrust-tracker', ['torrust-tracker'], 'the application name');
  const purpose = r.oneOf(metadata, 'purpose', 'metadata.purpose', 'configuration', ['configuration'], 'the purpose');
  const schemaVersion = r.string(metadata, 'schema_version', 'metadata.schema_version', SUPPORTED_SCHEMA_VERSION);
  if (schemaVersion !== SUPPORTED_SCHEMA_VERSION) {
    r.report('metadata.schema_version', `Unsupported configuration version: ${schemaVersion}`);
  }

  const logging = r.table(root, 'logging', 'logging') ?? undefined;
  const threshold = r.oneOf(logging, 'threshold', 'logging.threshold', 'info', LOG_THRESHOLDS, 'a log threshold');
  const style = r.oneOf(logging, 'style', 'logging.style', 'text', LOG_STYLES, 'a log style');

  const core = readCore(r, r.table(root, 'core', 'core') ?? undefined);

  const udpTrackers: UdpTrackerConfig[] = (r.tables(root, 'udp_trackers', 'udp_trackers') ?? []).map(
    ({ table, path }) => ({
      bindAddress: r.socketAddress(table, 'bind_address', `${path}.bind_address`, '0.0.0.0:6969'),
      cookieLifetime: r.integer(table, 'cookie_lifetime', `${path}.cookie_lifetime`, 120, 1, U64_MAX_SAFE),
    }),
  );

  const server = r.table(root, 'udp_tracker_server', 'udp_tracker_server') ?? undefined;
  const udpTrackerServer: UdpTrackerServerConfig = {
    connectionIdSecret: r.string(server, 'connection_id_secret', 'udp_tracker_server.connection_id_secret', ''),
    maxConnectionIdErrorsPerIp: r.integer(
      server,
      'max_connection_id_errors_per_ip',
      'udp_tracker_server.max_connection_id_errors_per_ip',
      10,
      1,
      U32_MAX,
    ),
    ipBansResetIntervalInSecs: r.integer(
      server,
      'ip_bans_reset_interval_in_secs',
      'udp_tracker_server.ip_bans_reset_interval_in_secs',
      3600,
      1,
      U64_MAX_SAFE,
    ),
  };

  const httpTrackers: HttpTrackerConfig[] = (r.tables(root, 'http_trackers', 'http_trackers') ?? []).map(
    ({ table, path }) => ({
      bindAddress: r.socketAddress(table, 'bind_address', `${path}.bind_address`, '0.0.0.0:7070'),
      tls: r.tls(table, path),
    }),
  );

  const api = r.table(root, 'http_api', 'http_api');
  let httpApi: HttpApiConfig | null = null;
  if (api) {
    const accessTokens: Record<string, string> = {};
    const tokens = r.table(api, 'access_tokens', 'http_api.access_tokens');
    for (const label of Object.keys(tokens ?? {})) {
      const path = `http_api.access_tokens.${label}`;
      const token = r.string(tokens ?? undefined, label, path, '');
      if (token === '' && !isWrongType(get(tokens ?? undefined, label))) {
        r.report(path, 'must not be empty (an empty token would let anyone in)');
      }
      accessTokens[label] = token;
    }
    httpApi = {
      bindAddress: r.socketAddress(api, 'bind_address', 'http_api.bind_address', '127.0.0.1:1212'),
      tls: r.tls(api, 'http_api'),
      accessTokens,
      metricsRequireToken: r.boolean(api, 'metrics_require_token', 'http_api.metrics_require_token', false),
    };
  }

  const health = r.table(root, 'health_check_api', 'health_check_api') ?? undefined;
  const healthCheckApi: HealthCheckApiConfig = {
    bindAddress: r.socketAddress(health, 'bind_address', 'health_check_api.bind_address', '127.0.0.1:1313'),
  };

  const shutdownTable = r.table(root, 'shutdown', 'shutdown') ?? undefined;
  const shutdown: ShutdownConfig = {
    drainDelayInSecs: r.integer(shutdownTable, 'drain_delay_in_secs', 'shutdown.drain_delay_in_secs', 0, 0, 3600),
    gracePeriodInSecs: r.integer(shutdownTable, 'grace_period_in_secs', 'shutdown.grace_period_in_secs', 10, 1, 3600),
  };

  const forwarding = readForwarding(r, r.table(root, 'forwarding', 'forwarding') ?? undefined);
  const forwarders = readForwarders(r, root, forwarding.forwardersFile, cwd);

  return {
    metadata: { app, purpose, schemaVersion },
    logging: { threshold, style },
    core,
    udpTrackers,
    udpTrackerServer,
    httpTrackers,
    httpApi,
    healthCheckApi,
    shutdown,
    forwarders,
    forwarding,
  };
}

function readCore(r: Reader, core: Table | undefined): CoreConfig {
  const announce = r.table(core, 'announce_policy', 'core.announce_policy') ?? undefined;
  const database = r.table(core, 'database', 'core.database') ?? undefined;
  const net = r.table(core, 'net', 'core.net') ?? undefined;
  const privateMode = r.table(core, 'private_mode', 'core.private_mode');
  const policy = r.table(core, 'tracker_policy', 'core.tracker_policy') ?? undefined;

  const driver = r.oneOf(database, 'driver', 'core.database.driver', 'sqlite3', DATABASE_DRIVERS, 'a supported driver');
  const path = r.string(database, 'path', 'core.database.path', './storage/tracker/lib/database/sqlite3.db');
  const pathRaw = get(database, 'path');
  if (path === '' && pathRaw !== undefined) r.report('core.database.path', 'must not be empty', pathRaw);
  else if (driver === 'mysql') {
    const reason = mysqlUrlProblem(path);
    if (reason !== undefined) {
      r.report(
        'core.database.path',
        `is not a valid MySQL URL: ${reason} (expected mysql://user:password@host:port/database)`,
        pathRaw ?? path,
      );
    }
  }

  let externalIp: string | null = null;
  const externalRaw = get(net, 'external_ip');
  const externalText = r.string(net, 'external_ip', 'core.net.external_ip', '0.0.0.0');
  if (!isWrongType(externalRaw)) {
    const ip = canonicalIp(externalText);
    if (ip === undefined) r.report('core.net.external_ip', 'is not an IP address', externalRaw);
    // 0.0.0.0 and :: are Torrust's "unset" (DECISIONS.md): no rewriting of loopback peers.
    else externalIp = ip === '0.0.0.0' || ip === '::' ? null : ip;
  }

  return {
    inactivePeerCleanupInterval: r.integer(
      core,
      'inactive_peer_cleanup_interval',
      'core.inactive_peer_cleanup_interval',
      600,
      0,
      U64_MAX_SAFE,
    ),
    listed: r.boolean(core, 'listed', 'core.listed', false),
    private: r.boolean(core, 'private', 'core.private', false),
    trackerUsageStatistics: r.boolean(core, 'tracker_usage_statistics', 'core.tracker_usage_statistics', true),
    announcePolicy: {
      interval: r.integer(announce, 'interval', 'core.announce_policy.interval', 120, 0, U32_MAX),
      intervalMin: r.integer(announce, 'interval_min', 'core.announce_policy.interval_min', 120, 0, U32_MAX),
      maxPeersPerAnnounce: r.integer(
        announce,
        'max_peers_per_announce',
        'core.announce_policy.max_peers_per_announce',
        74,
        1,
        U32_MAX,
      ),
    },
    database: { driver, path },
    net: {
      externalIp,
      onReverseProxy: r.boolean(net, 'on_reverse_proxy', 'core.net.on_reverse_proxy', false),
      reverseProxyHeader: r.oneOf(
        net,
        'reverse_proxy_header',
        'core.net.reverse_proxy_header',
        'x-forwarded-for',
        REVERSE_PROXY_HEADERS,
        'a supported header',
      ),
    },
    privateMode: privateMode
      ? {
          checkKeysExpiration: r.boolean(
            privateMode,
            'check_keys_expiration',
            'core.private_mode.check_keys_expiration',
            true,
          ),
        }
      : null,
    trackerPolicy: {
      maxPeerTimeout: r.integer(policy, 'max_peer_timeout', 'core.tracker_policy.max_peer_timeout', 900, 0, U32_MAX),
      persistentTorrentCompletedStat: r.boolean(
        policy,
        'persistent_torrent_completed_stat',
        'core.tracker_policy.persistent_torrent_completed_stat',
        false,
      ),
      removePeerlessTorrents: r.boolean(
        policy,
        'remove_peerless_torrents',
        'core.tracker_policy.remove_peerless_torrents',
        true,
      ),
    },
  };
}

const HOUR = 3600;

function readForwarding(r: Reader, table: Table | undefined): ForwardingConfig {
  const p = (key: string) => `forwarding.${key}`;
  const retryBase = r.seconds(table, 'retry_base_delay_in_secs', p('retry_base_delay_in_secs'), 1, 0.001, HOUR);
  const retryMax = r.seconds(table, 'retry_max_delay_in_secs', p('retry_max_delay_in_secs'), 30, 0.001, HOUR);
  const suspension = r.seconds(table, 'suspension_in_secs', p('suspension_in_secs'), 30, 0.001, 24 * HOUR);
  const maxSuspension = r.seconds(table, 'max_suspension_in_secs', p('max_suspension_in_secs'), 600, 0.001, 24 * HOUR);
  if (retryMax < retryBase) {
    r.report(p('retry_max_delay_in_secs'), `must not be less than retry_base_delay_in_secs (${retryBase})`, retryMax);
  }
  if (maxSuspension < suspension) {
    r.report(p('max_suspension_in_secs'), `must not be less than suspension_in_secs (${suspension})`, maxSuspension);
  }
  const fileRaw = get(table, 'forwarders_file');
  const file = r.string(table, 'forwarders_file', p('forwarders_file'), '');
  if (file === '' && fileRaw !== undefined && !isWrongType(fileRaw)) {
    r.report(p('forwarders_file'), 'must name a file', fileRaw);
  }
  return {
    workers: r.integer(table, 'workers', p('workers'), 8, 1, 1024),
    queueSize: r.integer(table, 'queue_size', p('queue_size'), 10_000, 1, 1_000_000),
    timeoutInSecs: r.seconds(table, 'timeout_in_secs', p('timeout_in_secs'), 5, 0.001, 300),
    maxRetries: r.integer(table, 'max_retries', p('max_retries'), 2, 0, 10),
    retryBaseDelayInSecs: retryBase,
    retryMaxDelayInSecs: retryMax,
    suspendAfterFailures: r.integer(table, 'suspend_after_failures', p('suspend_after_failures'), 5, 1, 1_000_000),
    suspensionInSecs: suspension,
    maxSuspensionInSecs: maxSuspension,
    forwardersFile: file === '' ? null : file,
  };
}

/** `[[forwarders]]`, then the entries of `forwarders_file`; names made unique. */
function readForwarders(r: Reader, root: Table, file: string | null, cwd: string): ForwarderConfig[] {
  const sources: Array<{ table: Table; path: string; fromFile: boolean }> = (
    r.tables(root, 'forwarders', 'forwarders') ?? []
  ).map((entry) => ({ ...entry, fromFile: false }));
  if (file !== null) {
    let text: string | null = null;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (error) {
      r.report('forwarding.forwarders_file', `cannot be read: ${errorMessage(error)}`, file);
    }
    if (text !== null) {
      const parsed = parseForwardersFile(text);
      if (!parsed.ok) {
        r.report(
          'forwarding.forwarders_file',
          `is not a supported forwarders.yml: line ${parsed.line}: ${parsed.reason}`,
          file,
        );
      } else {
        parsed.entries.forEach((entry, index) => {
          const table = newTable();
          Object.assign(table, entry.values);
          sources.push({ table, path: `${file}[${index}]`, fromFile: true });
        });
      }
    }
  }

  const read = sources.map(({ table, path, fromFile }) => {
    const uriRaw = get(table, 'uri');
    const uri = r.string(table, 'uri', `${path}.uri`, '');
    let target: ForwarderTarget | null = null;
    if (uriRaw === undefined) r.report(`${path}.uri`, 'is missing: every forwarder needs an http, https or udp URL');
    else if (!isWrongType(uriRaw)) {
      const parsed = parseForwarderUri(uri);
      if (typeof parsed === 'string') r.report(`${path}.uri`, parsed, uriRaw);
      else target = parsed;
    }

    let ip: string | null = null;
    const ipRaw = get(table, 'ip');
    const ipText = r.string(table, 'ip', `${path}.ip`, '');
    if (ipRaw !== undefined && !isWrongType(ipRaw)) {
      const canonical = canonicalIp(ipText);
      if (canonical === undefined) r.report(`${path}.ip`, 'is not an IP address', ipRaw);
      else if (target?.protocol === 'udp' && !isIPv4(canonical)) {
        r.report(`${path}.ip`, 'must be an IPv4 address for a udp forwarder (BEP 15 carries IPv4 only)', ipRaw);
      } else ip = canonical;
    }

    let host: string | null = null;
    const hostRaw = get(table, 'host');
    const hostText = r.string(table, 'host', `${path}.host`, '');
    if (hostRaw !== undefined && !isWrongType(hostRaw)) {
      if (!/^[^\s/?#@]+$/.test(hostText)) r.report(`${path}.host`, 'is not a host name (host or host:port)', hostRaw);
      else if (target?.protocol === 'udp')
        r.report(`${path}.host`, 'is only used by http and https forwarders', hostRaw);
      else host = hostText;
    }

    const nameRaw = get(table, 'name');
    const name = r.string(table, 'name', `${path}.name`, '');
    if (nameRaw !== undefined && !isWrongType(nameRaw) && !/^[\x21-\x7e][\x20-\x7e]{0,63}$/.test(name)) {
      r.report(`${path}.name`, 'must be 1-64 printable ASCII characters, not starting with a space', nameRaw);
    }
    return { path, fromFile, uri, target, ip, host, name: nameRaw === undefined ? '' : name };
  });

  // Explicit names must be unique; derived ones (the uri's host[:port]) get #2, #3… when taken.
  const taken = new Map<string, string>();
  for (const f of read) {
    if (f.name === '') continue;
    const first = taken.get(f.name);
    if (first !== undefined) r.report(`${f.path}.name`, `is already the name of ${first}`, f.name);
    else taken.set(f.name, f.path);
  }
  return read.map((f): ForwarderConfig => {
    let name = f.name;
    if (name === '') {
      const base = f.target?.display ?? 'forwarder';
      name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}#${n}`;
      taken.set(name, f.path);
    }
    return {
      name,
      uri: f.uri,
      protocol: f.target?.protocol ?? 'http',
      hostname: f.target?.hostname ?? '',
      port: f.target?.port ?? 0,
      ip: f.ip,
      host: f.host,
      fromFile: f.fromFile,
    };
  });
}

interface ForwarderTarget {
  readonly protocol: ForwarderProtocol;
  readonly hostname: string;
  readonly port: number;
  /** `host[:port]` as in the URL (default ports left out): the default name. */
  readonly display: string;
}

/** The scheme, host and port of a forwarder URI, or why it is not usable. */
export function parseForwarderUri(text: string): ForwarderTarget | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL (expected http://, https:// or udp://host:port/announce)';
  }
  const protocol = url.protocol.slice(0, -1);
  if (protocol !== 'http' && protocol !== 'https' && protocol !== 'udp') return 'is not an http, https or udp URL';
  if (url.hostname === '') return 'has no host';
  if (protocol === 'udp' && url.port === '') return 'needs a port (udp://host:port)';
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  if (port === 0) return 'has port 0 (must be 1-65535)';
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol, hostname, port, display: url.host };
}

/** Why `text` is not a usable `mysql://user:password@host:port/database` URL, or undefined. */
function mysqlUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'mysql:') return `the scheme must be mysql://, not ${url.protocol}//`;
  if (url.hostname === '') return 'the host is missing';
  if (url.port !== '' && Number(url.port) === 0) return 'the port must be 1-65535';
  const database = url.pathname.replace(/^\//, '');
  if (database === '' || database.includes('/')) return 'the database name is missing';
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return 'the user or password is not correctly percent-encoded';
  }
  return undefined;
}

/** Cross-field rules (Torrust's `Validator`): the private_mode section only when private. */
function validateConsistency(root: Table, config: Configuration, problems: ConfigProblem[]): void {
  const core = get(root, 'core');
  const privateRaw = isTable(core) ? get(core, 'private') : undefined;
  const privateValue = privateRaw instanceof OverrideValue ? privateRaw.value : privateRaw;
  if (config.core.privateMode !== null && privateValue === false) {
    problems.push({ path: 'core.private_mode', rule: `set, but core.private is false: ${PRIVATE_MODE_TEXT}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function newTable(): Table {
  return Object.create(null) as Table;
}

function isTable(value: unknown): value is Table {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** Present but neither a string nor an override (so already reported by `Reader.string`). */
function isWrongType(raw: unknown): boolean {
  return raw !== undefined && typeof raw !== 'string' && !(raw instanceof OverrideValue);
}

function get(table: Table | null | undefined, key: string): unknown {
  if (!table || !Object.hasOwn(table, key)) return undefined;
  return table[key];
}

function lookup(root: Table, segments: readonly string[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (!isTable(current)) return undefined;
    current = get(current, segment);
  }
  return current;
}

const SECRET_PATHS = [/^http_api\.access_tokens\./, /^udp_tracker_server\.connection_id_secret$/];

function maskProblemValue(path: string, value: unknown): unknown {
  if (SECRET_PATHS.some((re) => re.test(path))) return SECRET_MASK;
  if (/\.uri$/.test(path) && typeof value === 'string') return maskForwarderUri(value);
  if (path === 'core.database.path' && typeof value === 'string') return maskUrlPassword(value);
  if (path === 'http_api.access_tokens' || path === 'udp_tracker_server') return SECRET_MASK;
  return value;
}

function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
