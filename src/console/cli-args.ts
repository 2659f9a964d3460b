/**
 * Command lines of the console tools: the unified `tracker-client udp|http|check …` (Torrust's
 * newer `tracker_client`) and the classic `udp_tracker_client`, `http_tracker_client` and
 * `tracker_checker`, with Torrust's arguments, flags and defaults. Pure: returns a typed command
 * (help and version included) or throws `UsageError`; no I/O, the environment is passed in.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  EVENT_COMPLETED,
  EVENT_NONE,
  EVENT_STARTED,
  EVENT_STOPPED,
  MAX_SCRAPE_TORRENTS,
} from '../protocol/bep15/index.js';
import { formatIp, parseIPv4, parseIp } from '../protocol/ip-text.js';
import { UsageError } from './cli-error.js';
import type { CheckerFormat } from './checker/checker-output.js';
import type { UdpMonitorConfig } from './checker/udp-monitor.js';
import {
  defaultHttpAnnounceParams,
  type HttpAnnounceEvent,
  type HttpAnnounceParams,
} from './http/http-tracker-client.js';
import type { JsonStyle } from './json-output.js';
import {
  SAMPLE_INFO_HASH,
  parseHttpTrackerUrl,
  parseInfoHash,
  parseInfoHashes,
  parseUdpTrackerAddress,
  type Parsed,
  type UdpTrackerAddress,
} from './targets.js';
import { DEFAULT_TIMEOUT_MS } from './timeout.js';
import {
  BASELINE_PEER_ID,
  defaultAnnounceParams,
  productionPeerId,
  type UdpAnnounceParams,
} from './udp/udp-tracker-client.js';

export type ProgramName = 'tracker-client' | 'udp_tracker_client' | 'http_tracker_client' | 'tracker_checker';

/** Where the checker configuration comes from (a path wins over inline JSON, as in Torrust). */
export type CheckerConfigInput =
  { kind: 'file'; path: string } | { kind: 'json'; json: string; source: string } | { kind: 'none' };

export type Command =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'udp-announce'; tracker: UdpTrackerAddress; params: UdpAnnounceParams; style: JsonStyle; timeoutMs: number }
  | { kind: 'udp-scrape'; tracker: UdpTrackerAddress; infoHashes: Buffer[]; style: JsonStyle; timeoutMs: number }
  | {
      kind: 'http-announce';
      tracker: URL;
      params: HttpAnnounceParams;
      style: JsonStyle;
      timeoutMs: number;
      insecure: boolean;
    }
  | { kind: 'http-scrape'; tracker: URL; infoHashes: Buffer[]; style: JsonStyle; timeoutMs: number; insecure: boolean }
  | {
      kind: 'check';
      config: CheckerConfigInput;
      format: CheckerFormat;
      timeoutMs: number;
      insecure: boolean;
      peerId: Buffer;
    }
  | { kind: 'monitor-udp'; config: UdpMonitorConfig };

export interface ParseContext {
  env: NodeJS.ProcessEnv;
  /** For the `-RC3000-` peer id digits. */
  random?: () => number;
}

// ---- help texts ---------------------------------------------------------------------------

const COMMON_NOTES = `Exit codes: 0 the command ran, 1 the tracker could not be reached or answered badly,
2 bad arguments. Log and error lines go to stderr; stdout carries only the result.`;

const UDP_ANNOUNCE_OPTIONS = `Options:
      --event <EVENT>         none | completed | started | stopped   [default: started]
      --uploaded <N>          bytes uploaded                         [default: 0]
      --downloaded <N>        bytes downloaded                       [default: 0]
      --left <N>              bytes left                             [default: 0]
      --port <PORT>           announced port (1-65535)     [default: the client's UDP port]
      --ip-address <IPV4>     IP address field                       [default: 0.0.0.0]
      --peer-id <20 BYTES>    peer id          [default: -qB00000000000000001 (udp_tracker_client),
                                                          -RC3000- + 12 digits (tracker-client)]
      --key <I32>             key                                    [default: 0]
      --peers-wanted <I32>    num_want                               [default: 1]`;

const FORMAT_TIMEOUT = `      --format <FORMAT>       json (one line) | text (pretty JSON)
      --timeout <SECONDS>     time limit per step                    [default: 5]
  -h, --help                  Print help`;

function udpHelp(program: string): string {
  return `UDP tracker client (BEP 15), compatible with Torrust's udp_tracker_client.

Usage: ${program} announce <TRACKER> <INFO_HASH> [OPTIONS]
       ${program} scrape <TRACKER> <INFO_HASH>... [OPTIONS]

<TRACKER> is udp://host:port[/path], host:port or [ipv6]:port; a host name is resolved and its
first address used. Up to ${MAX_SCRAPE_TORRENTS} info-hashes (40 hex characters) per scrape, as arguments or
space-separated in one argument. Sends connect, then announce or scrape (transaction id -888840697)
and prints the answer as JSON without a trailing newline:
{"AnnounceIpv4"|"AnnounceIpv6"|"Scrape"|"Error": {...}}. An error packet from the tracker is printed
and the exit code is 0.

${UDP_ANNOUNCE_OPTIONS}
${FORMAT_TIMEOUT}

Differences from Torrust: IPv6 trackers get AnnounceIpv6 with 18-byte peers (Torrust reads 6-byte
peers), host:port without a scheme is accepted for host names, --timeout exists.
${COMMON_NOTES}`;
}

function httpHelp(program: string): string {
  return `HTTP tracker client, compatible with Torrust's http_tracker_client.

Usage: ${program} announce <TRACKER_URL> <INFO_HASH> [OPTIONS]
       ${program} scrape <TRACKER_URL> [<INFO_HASH>...] [OPTIONS]

<TRACKER_URL> is the tracker's base URL (http://host:7070, https://host/) or its announce URL
(http://host:7070/announce, …/announce/<key>); the scrape URL is derived from it. The announce
query is Torrust's: info_hash, peer_addr=192.168.1.88, downloaded, uploaded,
peer_id=-qB00000000000000001, port=17548, left, event, compact=0. Prints the answer as one line of
JSON: {"complete","incomplete","interval","min interval","peers":[{"ip","peer id":[bytes],"port"}]}
(a compact answer has "peers" as its byte array); scrape: {"<hex info-hash>":{"complete",
"downloaded","incomplete"}}. Any other answer (e.g. a failure reason) is printed as JSON converted
from bencode and the exit code is 1.

Options (announce):
      --event <EVENT>         started | stopped | completed
                              [default: completed (http_tracker_client), started (tracker-client)]
      --uploaded <N>, --downloaded <N>, --left <N>                   [default: 0]
      --port <PORT>           announced port (1-65535)               [default: 17548]
      --peer-addr <IP>        peer_addr parameter                    [default: 192.168.1.88]
      --peer-id <20 BYTES>    peer id                    [default: -qB00000000000000001]
      --compact <0|1>         compact parameter                      [default: 0]
Options:
  -k, --insecure              accept any TLS certificate (self-signed test trackers); by default
                              certificates are verified (trust a private CA with NODE_EXTRA_CA_CERTS)
${FORMAT_TIMEOUT}

Differences from Torrust: an announce URL is accepted (Torrust would request …/announceannounce),
an unexpected body is an error with exit 1 (Torrust panics, exit 101), compact answers are printed,
a URL with a query or fragment is rejected, --timeout and --insecure exist.
${COMMON_NOTES}`;
}

function checkHelp(program: string, unified: boolean): string {
  return `Tracker checker, compatible with Torrust's tracker_checker.

Usage: ${program} [-c <FILE>] [<CONFIG_JSON>] [OPTIONS]${unified ? `\n       ${program} monitor udp --url udp://host:port [OPTIONS]` : ''}

Configuration (JSON): {"udp_trackers": ["127.0.0.1:6969", ...], "http_trackers":
["http://127.0.0.1:7070", ...], "health_checks": ["http://127.0.0.1:1313/health_check", ...]},
from -c/--config-path/--config <FILE>, else $TORRUST_CHECKER_CONFIG_PATH, else the <CONFIG_JSON>
argument, else $TORRUST_CHECKER_CONFIG. Checks every UDP tracker (Setup, Connect, Announce, Scrape),
HTTP tracker (Announce, Scrape) and health URL (GET, any 2xx) concurrently, each step with a 5 s
limit, and prints [{"Udp"|"Http"|"Health": {"Ok"|"Err": {...}}}, ...].

Options:
  -c, --config-path <FILE>    configuration file (also --config)
      --format <FORMAT>       json (one line) | pretty (indented JSON) | text (a table)
                                                     [default: ${unified ? 'json' : 'pretty'}]
  -k, --insecure              accept any TLS certificate for https trackers and health URLs
      --timeout <SECONDS>     time limit per step                    [default: 5]
  -h, --help                  Print help
${unified ? UDP_MONITOR_OPTIONS : ''}
Exit codes: 0 every check passed, 1 some check failed, 2 invalid configuration or arguments: then
stderr has {"error":{"kind":"invalid_configuration","source":..,"message":..}}.

Differences from Torrust: exit 1 when a check failed (Torrust exits 0); --format text is a table
(Torrust prints indented JSON, here --format pretty); all entries are checked at once and printed
in configuration order (UDP, HTTP, health), not in the order the groups finished; a UDP host that
does not resolve fails Setup (Torrust panics); --timeout and --insecure exist.`;
}

const UDP_MONITOR_OPTIONS = `
Monitor options (monitor udp): probes connect + announce every interval; one JSON line per probe
on stderr, a summary line on stdout.
      --url <URL>             udp://host:port (required)
      --interval <SECONDS>    [default: 300]    --timeout <SECONDS>   [default: 10]
      --duration <SECONDS>    [default: 86400]  --info-hash <HASH>    [default: ${SAMPLE_INFO_HASH}]
`;

const UNIFIED_HELP = `Console client for BitTorrent trackers (UDP, HTTP) and a tracker checker, compatible with
Torrust's tracker_client.

Usage: tracker-client <COMMAND>

Commands:
  udp    announce / scrape on a UDP tracker          (tracker-client udp --help)
  http   announce / scrape on an HTTP(S) tracker     (tracker-client http --help)
  check  check trackers and health URLs              (tracker-client check --help)

Options:
  -h, --help     Print help
  -V, --version  Print version

${COMMON_NOTES}`;

// ---- value parsers -------------------------------------------------------------------------

function take<T>(parsed: Parsed<T>, usage: string): T {
  if (!parsed.ok) throw new UsageError(parsed.message, usage);
  return parsed.value;
}

const I64_MAX = (1n << 63n) - 1n;

function parseCount(name: string, text: string | undefined, usage: string): bigint {
  if (text === undefined) return 0n;
  if (!/^\d+$/.test(text))
    throw new UsageError(`invalid value '${text}' for '--${name}': expected a whole number`, usage);
  const v = BigInt(text);
  if (v > I64_MAX) throw new UsageError(`--${name} value is too large to fit in i64`, usage);
  return v;
}

function parsePortOption(text: string | undefined, usage: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 0xffff) {
    throw new UsageError(`invalid port value: '${text}'`, usage);
  }
  if (Number(text) === 0) throw new UsageError('port must be greater than zero', usage);
  return Number(text);
}

function parseI32(name: string, text: string | undefined, fallback: number, usage: string): number {
  if (text === undefined) return fallback;
  const v = /^-?\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new UsageError(`invalid value '${text}' for '--${name}': expected a 32-bit signed integer`, usage);
  }
  return v;
}

function parsePeerId(text: string | undefined, usage: string): Buffer | undefined {
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length !== 20) {
    throw new UsageError(`peer-id must be exactly 20 bytes, got ${bytes.length} bytes for \`${text}\``, usage);
  }
  return bytes;
}

function parseSeconds(name: string, text: string | undefined, fallbackMs: number, usage: string): number {
  if (text === undefined) return fallbackMs;
  const v = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(v > 0) || v > 1e7) {
    throw new UsageError(`invalid value '${text}' for '--${name}': expected a positive number of seconds`, usage);
  }
  return Math.round(v * 1000);
}

function parseChoice<T extends string>(name: string, text: string | undefined, choices: readonly T[], usage: string) {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`invalid value '${text}' for '--${name}': possible values: ${choices.join(', ')}`, usage);
  }
  return text as T;
}

function parseStyle(text: string | undefined, fallback: JsonStyle, usage: string): JsonStyle {
  const format = parseChoice('format', text, ['json', 'text', 'pretty'] as const, usage);
  return format === undefined ? fallback : format === 'json' ? 'compact' : 'pretty';
}

// ---- parseArgs wrapper ---------------------------------------------------------------------

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

const HELP: Options = { help: { type: 'boolean', short: 'h' } };
const FORMAT: Options = { format: { type: 'string' }, timeout: { type: 'string' } };
const INSECURE: Options = { insecure: { type: 'boolean', short: 'k' } };

/** Options whose values may start with `-`: peer ids (`-qB0000-…`) and negative numbers. */
const HYPHEN_VALUES = new Set(['--peer-id', '--key', '--peers-wanted']);

function parse(args: string[], options: Options, usage: string): { values: Values; positionals: string[] } {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (HYPHEN_VALUES.has(args[i]) && i + 1 < args.length) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  try {
    const { values, positionals } = parseArgs({ args: joined, options, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
}

function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function expectPositionals(positionals: string[], names: string[], usage: string): void {
  if (positionals.length < names.length) {
    throw new UsageError(
      `the following required arguments were not provided: ${names.slice(positionals.length).join(' ')}`,
      usage,
    );
  }
}

function noExtra(positionals: string[], count: number, usage: string): void {
  if (positionals.length > count) throw new UsageError(`unexpected argument '${positionals[count]}' found`, usage);
}

function isHelp(arg: string | undefined): boolean {
  return arg === '-h' || arg === '--help' || arg === 'help';
}

// ---- commands ------------------------------------------------------------------------------

const UDP_EVENTS = { none: EVENT_NONE, completed: EVENT_COMPLETED, started: EVENT_STARTED, stopped: EVENT_STOPPED };

function parseUdp(program: string, args: string[], unified: boolean, ctx: ParseContext): Command {
  const help = udpHelp(program);
  const usage = `Usage: ${program} announce <TRACKER> <INFO_HASH> [OPTIONS] | ${program} scrape <TRACKER> <INFO_HASH>...`;
  const [action, ...rest] = args;
  if (action === undefined) throw new UsageError('a subcommand is required: announce or scrape', usage);
  if (isHelp(action)) return { kind: 'help', text: help };
  const fallbackStyle: JsonStyle = unified ? 'compact' : 'pretty';
  if (action === 'announce') {
    const { values, positionals } = parse(
      rest,
      {
        ...HELP,
        ...FORMAT,
        event: { type: 'string' },
        uploaded: { type: 'string' },
        downloaded: { type: 'string' },
        left: { type: 'string' },
        port: { type: 'string' },
        'ip-address': { type: 'string' },
        'peer-id': { type: 'string' },
        key: { type: 'string' },
        'peers-wanted': { type: 'string' },
      },
      usage,
    );
    if (values.help) return { kind: 'help', text: help };
    expectPositionals(positionals, ['<TRACKER>', '<INFO_HASH>'], usage);
    noExtra(positionals, 2, usage);
    const tracker = take(parseUdpTrackerAddress(positionals[0]), usage);
    const infoHash = take(parseInfoHash(positionals[1]), usage);
    const event = parseChoice(
      'event',
      str(values, 'event'),
      Object.keys(UDP_EVENTS) as (keyof typeof UDP_EVENTS)[],
      usage,
    );
    const ipText = str(values, 'ip-address');
    const ip = ipText === undefined ? 0 : parseIPv4(ipText);
    if (ip === null)
      throw new UsageError(`invalid value '${ipText}' for '--ip-address': expected an IPv4 address`, usage);
    const params: UdpAnnounceParams = {
      ...defaultAnnounceParams(infoHash, unified ? productionPeerId(ctx.random) : BASELINE_PEER_ID),
      event: event === undefined ? EVENT_STARTED : UDP_EVENTS[event],
      uploaded: parseCount('uploaded', str(values, 'uploaded'), usage),
      downloaded: parseCount('downloaded', str(values, 'downloaded'), usage),
      left: parseCount('left', str(values, 'left'), usage),
      ipAddress: ip,
      key: parseI32('key', str(values, 'key'), 0, usage),
      numWant: parseI32('peers-wanted', str(values, 'peers-wanted'), 1, usage),
      port: parsePortOption(str(values, 'port'), usage),
    };
    const peerId = parsePeerId(str(values, 'peer-id'), usage);
    if (peerId) params.peerId = peerId;
    return {
      kind: 'udp-announce',
      tracker,
      params,
      style: parseStyle(str(values, 'format'), fallbackStyle, usage),
      timeoutMs: parseSeconds('timeout', str(values, 'timeout'), DEFAULT_TIMEOUT_MS, usage),
    };
  }
  if (action === 'scrape') {
    const { values, positionals } = parse(rest, { ...HELP, ...FORMAT }, usage);
    if (values.help) return { kind: 'help', text: help };
    expectPositionals(positionals, ['<TRACKER>', '<INFO_HASH>...'], usage);
    const tracker = take(parseUdpTrackerAddress(positionals[0]), usage);
    const infoHashes = take(parseInfoHashes(positionals.slice(1)), usage);
    if (infoHashes.length === 0) throw new UsageError('at least one info-hash is required', usage);
    if (infoHashes.length > MAX_SCRAPE_TORRENTS) {
      throw new UsageError(`at most ${MAX_SCRAPE_TORRENTS} info-hashes per scrape, got ${infoHashes.length}`, usage);
    }
    return {
      kind: 'udp-scrape',
      tracker,
      infoHashes,
      style: parseStyle(str(values, 'format'), fallbackStyle, usage),
      timeoutMs: parseSeconds('timeout', str(values, 'timeout'), DEFAULT_TIMEOUT_MS, usage),
    };
  }
  throw new UsageError(`unrecognized subcommand '${action}': expected announce or scrape`, usage);
}

function parseHttp(program: string, args: string[], unified: boolean): Command {
  const help = httpHelp(program);
  const usage = `Usage: ${program} announce <TRACKER_URL> <INFO_HASH> [OPTIONS] | ${program} scrape <TRACKER_URL> [<INFO_HASH>...]`;
  const [action, ...rest] = args;
  if (action === undefined) throw new UsageError('a subcommand is required: announce or scrape', usage);
  if (isHelp(action)) return { kind: 'help', text: help };
  if (action === 'announce') {
    const { values, positionals } = parse(
      rest,
      {
        ...HELP,
        ...FORMAT,
        ...INSECURE,
        event: { type: 'string' },
        uploaded: { type: 'string' },
        downloaded: { type: 'string' },
        left: { type: 'string' },
        port: { type: 'string' },
        'peer-addr': { type: 'string' },
        'peer-id': { type: 'string' },
        compact: { type: 'string' },
      },
      usage,
    );
    if (values.help) return { kind: 'help', text: help };
    expectPositionals(positionals, ['<TRACKER_URL>', '<INFO_HASH>'], usage);
    noExtra(positionals, 2, usage);
    const tracker = take(parseHttpTrackerUrl(positionals[0]), usage);
    const infoHash = take(parseInfoHash(positionals[1]), `${usage}\nExample info-hash: ${SAMPLE_INFO_HASH}`);
    const params = defaultHttpAnnounceParams(infoHash, unified ? 'started' : 'completed');
    const event = parseChoice<HttpAnnounceEvent>(
      'event',
      str(values, 'event'),
      ['started', 'stopped', 'completed'],
      usage,
    );
    if (event !== undefined) params.event = event;
    params.uploaded = parseCount('uploaded', str(values, 'uploaded'), usage);
    params.downloaded = parseCount('downloaded', str(values, 'downloaded'), usage);
    params.left = parseCount('left', str(values, 'left'), usage);
    params.port = parsePortOption(str(values, 'port'), usage) ?? params.port;
    const peerAddr = str(values, 'peer-addr');
    if (peerAddr !== undefined) {
      const ip = parseIp(peerAddr);
      if (ip === null)
        throw new UsageError(`invalid value '${peerAddr}' for '--peer-addr': expected an IP address`, usage);
      params.peerAddr = formatIp(ip);
    }
    params.peerId = parsePeerId(str(values, 'peer-id'), usage) ?? params.peerId;
    const compact = parseChoice('compact', str(values, 'compact'), ['0', '1'] as const, usage);
    if (compact !== undefined) params.compact = compact === '1' ? 1 : 0;
    return {
      kind: 'http-announce',
      tracker,
      params,
      style: parseStyle(str(values, 'format'), 'compact', usage),
      timeoutMs: parseSeconds('timeout', str(values, 'timeout'), DEFAULT_TIMEOUT_MS, usage),
      insecure: values.insecure === true,
    };
  }
  if (action === 'scrape') {
    const { values, positionals } = parse(rest, { ...HELP, ...FORMAT, ...INSECURE }, usage);
    if (values.help) return { kind: 'help', text: help };
    expectPositionals(positionals, ['<TRACKER_URL>'], usage);
    return {
      kind: 'http-scrape',
      tracker: take(parseHttpTrackerUrl(positionals[0]), usage),
      infoHashes: take(parseInfoHashes(positionals.slice(1)), usage),
      style: parseStyle(str(values, 'format'), 'compact', usage),
      timeoutMs: parseSeconds('timeout', str(values, 'timeout'), DEFAULT_TIMEOUT_MS, usage),
      insecure: values.insecure === true,
    };
  }
  throw new UsageError(`unrecognized subcommand '${action}': expected announce or scrape`, usage);
}

function parseMonitor(program: string, args: string[], ctx: ParseContext): Command {
  const usage = `Usage: ${program} monitor udp --url udp://host:port [--interval S] [--timeout S] [--duration S] [--info-hash H]`;
  const [protocol, ...rest] = args;
  if (isHelp(protocol)) return { kind: 'help', text: checkHelp(program, true) };
  if (protocol !== 'udp')
    throw new UsageError(`unrecognized monitor protocol '${protocol ?? ''}': expected udp`, usage);
  const { values, positionals } = parse(
    rest,
    {
      ...HELP,
      url: { type: 'string' },
      interval: { type: 'string' },
      timeout: { type: 'string' },
      duration: { type: 'string' },
      'info-hash': { type: 'string' },
    },
    usage,
  );
  if (values.help) return { kind: 'help', text: checkHelp(program, true) };
  noExtra(positionals, 0, usage);
  const urlText = str(values, 'url');
  if (urlText === undefined)
    throw new UsageError('the following required arguments were not provided: --url <URL>', usage);
  if (!urlText.startsWith('udp://'))
    throw new UsageError(`invalid value '${urlText}' for '--url': URL scheme must be udp`, usage);
  const target = take(parseUdpTrackerAddress(urlText), usage);
  return {
    kind: 'monitor-udp',
    config: {
      url: new URL(urlText).href,
      host: target.host,
      port: target.port,
      intervalMs: parseSeconds('interval', str(values, 'interval'), 300_000, usage),
      timeoutMs: parseSeconds('timeout', str(values, 'timeout'), 10_000, usage),
      durationMs: parseSeconds('duration', str(values, 'duration'), 86_400_000, usage),
      infoHash: take(parseInfoHash(str(values, 'info-hash') ?? SAMPLE_INFO_HASH), usage),
      peerId: productionPeerId(ctx.random),
    },
  };
}

function parseCheck(program: string, args: string[], unified: boolean, ctx: ParseContext): Command {
  const usage = `Usage: ${program} [-c <FILE>] [<CONFIG_JSON>] [--format json|pretty|text]`;
  if (args[0] === 'monitor') return parseMonitor(program, args.slice(1), ctx);
  const { values, positionals } = parse(
    args,
    {
      ...HELP,
      ...FORMAT,
      ...INSECURE,
      'config-path': { type: 'string', short: 'c' },
      config: { type: 'string' },
    },
    usage,
  );
  if (values.help) return { kind: 'help', text: checkHelp(program, unified) };
  noExtra(positionals, 1, usage);
  const path = str(values, 'config-path') ?? str(values, 'config') ?? nonEmpty(ctx.env.TORRUST_CHECKER_CONFIG_PATH);
  const inline = positionals[0] ?? nonEmpty(ctx.env.TORRUST_CHECKER_CONFIG);
  const config: CheckerConfigInput =
    path !== undefined
      ? { kind: 'file', path }
      : inline !== undefined
        ? { kind: 'json', json: inline, source: 'TORRUST_CHECKER_CONFIG' }
        : { kind: 'none' };
  const format = parseChoice('format', str(values, 'format'), ['json', 'pretty', 'text'] as const, usage);
  return {
    kind: 'check',
    config,
    format: format ?? (unified ? 'json' : 'pretty'),
    timeoutMs: parseSeconds('timeout', str(values, 'timeout'), DEFAULT_TIMEOUT_MS, usage),
    insecure: values.insecure === true,
    peerId: unified ? productionPeerId(ctx.random) : BASELINE_PEER_ID,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** Parses `argv` (without node and script) for one of the programs; throws `UsageError`. */
export function parseCommandLine(program: ProgramName, argv: readonly string[], ctx: ParseContext): Command {
  const args = [...argv];
  if (args[0] === '-V' || args[0] === '--version') return { kind: 'version' };
  switch (program) {
    case 'udp_tracker_client':
      return parseUdp(program, args, false, ctx);
    case 'http_tracker_client':
      return parseHttp(program, args, false);
    case 'tracker_checker':
      return parseCheck(program, args, false, ctx);
    case 'tracker-client': {
      const [command, ...rest] = args;
      if (isHelp(command)) return { kind: 'help', text: UNIFIED_HELP };
      if (command === 'udp') return parseUdp(`${program} udp`, rest, true, ctx);
      if (command === 'http') return parseHttp(`${program} http`, rest, true);
      if (command === 'check') return parseCheck(`${program} check`, rest, true, ctx);
      const usage = 'Usage: tracker-client <udp|http|check> ...';
      if (command === undefined) throw new UsageError('a command is required: udp, http or check', usage);
      throw new UsageError(`unrecognized subcommand '${command}': expected udp, http or check`, usage);
    }
  }
}
