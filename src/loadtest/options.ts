/**
 * Command line of `tracker-loadtest`: `udp HOST:PORT [options]` or `http URL [options]`. Parses
 * and validates every option; an absurd or malformed setting is a `LoadtestUsageError` (exit 2)
 * with a one-line message.
 */

export type LoadtestMode = 'udp' | 'http';

export interface LoadtestOptions {
  mode: LoadtestMode;
  /** `HOST:PORT` for UDP (host unresolved), the announce URL for HTTP. */
  target: string;
  /** UDP: host text as given (brackets stripped for IPv6) and port. HTTP: from the URL. */
  host: string;
  port: number;
  torrents: number;
  peers: number;
  pareto: number;
  announcePct: number;
  numwant: number;
  /** Seconds. */
  duration: number;
  concurrency: number;
  workers: number;
  seed: number;
  json: boolean;
}

export const MAX_DURATION = 300;
export const MAX_CONCURRENCY = 4096;
export const MAX_TORRENTS = 10_000_000;
export const MAX_PEERS = 10_000_000;
export const MAX_NUMWANT = 1000;

export class LoadtestUsageError extends Error {
  override readonly name = 'LoadtestUsageError';
}

export const USAGE = `Usage: tracker-loadtest udp HOST:PORT [options]
       tracker-loadtest http URL [options]

Sends a synthetic announce/scrape workload to ONE tracker (yours) and reports throughput and latency.

Options:
  --torrents N      distinct info hashes (default 10000)
  --peers N         distinct simulated clients (default 1000)
  --pareto SHAPE    torrent popularity skew, Pareto shape (default 2.0; 0 = uniform)
  --announce-pct P  share of announces, the rest are scrapes of 1..5 hashes (default 80)
  --numwant N       numwant in announces (default 50)
  --duration S      seconds to run, at most ${MAX_DURATION} (default 10)
  --concurrency N   requests in flight per worker (HTTP: keep-alive connections), at most ${MAX_CONCURRENCY} (default 64)
  --workers N       worker threads, at most the number of CPUs (default 1)
  --seed N          workload seed (default 1)
  --json            print only the final JSON summary on stdout
  -h, --help        show this help
`;

interface NumberSpec {
  key: 'torrents' | 'peers' | 'pareto' | 'announcePct' | 'numwant' | 'duration' | 'concurrency' | 'workers' | 'seed';
  integer: boolean;
  min: number;
  max: (cpus: number) => number;
  hint?: string;
}

const NUMBER_OPTIONS: Record<string, NumberSpec> = {
  '--torrents': { key: 'torrents', integer: true, min: 1, max: () => MAX_TORRENTS },
  '--peers': { key: 'peers', integer: true, min: 1, max: () => MAX_PEERS },
  '--pareto': { key: 'pareto', integer: false, min: 0, max: () => 100 },
  '--announce-pct': { key: 'announcePct', integer: false, min: 0, max: () => 100 },
  '--numwant': { key: 'numwant', integer: true, min: 0, max: () => MAX_NUMWANT },
  '--duration': { key: 'duration', integer: false, min: 0.1, max: () => MAX_DURATION },
  '--concurrency': { key: 'concurrency', integer: true, min: 1, max: () => MAX_CONCURRENCY },
  '--workers': {
    key: 'workers',
    integer: true,
    min: 1,
    max: (cpus) => cpus,
    hint: ' (the number of CPUs)',
  },
  '--seed': { key: 'seed', integer: true, min: 0, max: () => 0xffffffff },
};

function parseNumber(flag: string, text: string | undefined, spec: NumberSpec, cpus: number): number {
  if (text === undefined || text === '') throw new LoadtestUsageError(`${flag} needs a value`);
  const value = Number(text);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(value)) {
    throw new LoadtestUsageError(`${flag}: not a number: '${text}'`);
  }
  if (spec.integer && !Number.isInteger(value)) throw new LoadtestUsageError(`${flag}: not an integer: '${text}'`);
  const max = spec.max(cpus);
  if (value < spec.min || value > max) {
    throw new LoadtestUsageError(`${flag} must be between ${spec.min} and ${max}${spec.hint ?? ''}, got ${text}`);
  }
  return value;
}

/** `HOST:PORT`, `[v6]:PORT`; the port is required. */
export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) {
    throw new LoadtestUsageError(`udp target must be HOST:PORT (or [IPv6]:PORT), got '${text}'`);
  }
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new LoadtestUsageError(`port must be 1..65535, got ${m[2]}`);
  return { host: m[1], port };
}

function parseHttpTarget(text: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LoadtestUsageError(`http target is not a URL: '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LoadtestUsageError(`http target must be an http:// or https:// URL, got '${text}'`);
  }
  if (url.username || url.password) throw new LoadtestUsageError('http target must not contain credentials');
  if (url.search || url.hash) throw new LoadtestUsageError('http target must not have a query or fragment');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { host, port };
}

/** The scrape URL of an announce URL (last path segment `announce` → `scrape`), or undefined. */
export function scrapeUrlOf(announceUrl: string): string | undefined {
  const url = new URL(announceUrl);
  const i = url.pathname.lastIndexOf('/');
  const last = url.pathname.slice(i + 1);
  if (!last.startsWith('announce')) return undefined;
  url.pathname = url.pathname.slice(0, i + 1) + 'scrape' + last.slice('announce'.length);
  return url.toString();
}

export type ParseResult = { help: true } | { help: false; options: LoadtestOptions };

/** Parses `argv` (without node and script); throws `LoadtestUsageError`. */
export function parseLoadtestArgs(argv: readonly string[], cpus: number): ParseResult {
  const positional: string[] = [];
  const values: Record<string, number> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const eq = arg.indexOf('=');
      const flag = eq > 0 ? arg.slice(0, eq) : arg;
      const spec = NUMBER_OPTIONS[flag];
      if (!spec) throw new LoadtestUsageError(`unknown option '${flag}'`);
      const text = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      values[spec.key] = parseNumber(flag, text, spec, cpus);
      continue;
    }
    positional.push(arg);
  }
  if (positional.length === 0) throw new LoadtestUsageError('missing mode: udp or http');
  const mode = positional[0];
  if (mode !== 'udp' && mode !== 'http') throw new LoadtestUsageError(`unknown mode '${mode}': use udp or http`);
  if (positional.length < 2) throw new LoadtestUsageError(`missing ${mode === 'udp' ? 'HOST:PORT' : 'URL'}`);
  if (positional.length > 2) throw new LoadtestUsageError(`unexpected argument '${positional[2]}'`);
  const target = positional[1];
  const { host, port } = mode === 'udp' ? parseHostPort(target) : parseHttpTarget(target);
  const options: LoadtestOptions = {
    mode,
    target,
    host,
    port,
    torrents: values.torrents ?? 10_000,
    peers: values.peers ?? 1000,
    pareto: values.pareto ?? 2.0,
    announcePct: values.announcePct ?? 80,
    numwant: values.numwant ?? 50,
    duration: values.duration ?? 10,
    concurrency: values.concurrency ?? 64,
    workers: values.workers ?? 1,
    seed: values.seed ?? 1,
    json,
  };
  if (options.workers > cpus) {
    throw new LoadtestUsageError(
      `--workers must be between 1 and ${cpus} (the number of CPUs), got ${options.workers}`,
    );
  }
  if (mode === 'http' && options.announcePct < 100 && scrapeUrlOf(target) === undefined) {
    throw new LoadtestUsageError(
      "the URL's last path segment is not 'announce', so there is no scrape URL: use --announce-pct 100",
    );
  }
  return { help: false, options };
}
