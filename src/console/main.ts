/**
 * Entry point of the console tools (bin/*.js call `runFromCommandLine`): parses the command line,
 * runs the UDP client, HTTP client, checker or monitor, writes the result on stdout and any
 * message on stderr, and returns the exit code (0 ran, 1 failed, 2 bad arguments or checker
 * configuration). Nothing escapes as a stack trace. `runProgram` is the testable core.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckerConfig, type CheckerConfig } from './checker/checker-config.js';
import { renderCheckResults } from './checker/checker-output.js';
import { passed, runChecks } from './checker/checks.js';
import { runUdpMonitor } from './checker/udp-monitor.js';
import { parseCommandLine, type CheckerConfigInput, type Command, type ProgramName } from './cli-args.js';
import {
  ConfigurationError,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  TrackerRequestError,
  UsageError,
  errorMessage,
} from './cli-error.js';
import { httpGet, isSuccess, statusText } from './http/http-get.js';
import {
  announceUrl,
  bencodeToJson,
  failureReason,
  readAnnounceCompact,
  readAnnounceDictionary,
  readScrape,
  scrapeUrl,
} from './http/http-tracker-client.js';
import { renderJson, type JsonStyle } from './json-output.js';
import { resolveAddress } from './resolve.js';
import type { UdpTrackerAddress } from './targets.js';
import { serializableUdpResponse } from './udp/udp-output.js';
import { CLIENT_TRANSACTION_ID, UdpTrackerClient } from './udp/udp-tracker-client.js';

export type { ProgramName } from './cli-args.js';

export interface ConsoleIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** An AbortSignal that fires on SIGINT (only the monitor asks for one). */
  interrupts?: () => AbortSignal;
}

/** The package version, read from the nearest package.json above this module. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
        if (pkg.version) return pkg.version;
      } catch {
        // keep looking
      }
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

async function withUdpClient<T>(
  tracker: UdpTrackerAddress,
  timeoutMs: number,
  use: (client: UdpTrackerClient) => Promise<T>,
): Promise<T> {
  const remote = await resolveAddress(tracker.host, tracker.port, timeoutMs);
  const client = await UdpTrackerClient.open(remote, timeoutMs);
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

/** Prints the answer JSON (Torrust: no trailing newline for the UDP client). */
async function runUdp(
  command: Extract<Command, { kind: 'udp-announce' | 'udp-scrape' }>,
  io: ConsoleIo,
): Promise<number> {
  const response = await withUdpClient(command.tracker, command.timeoutMs, async (client) => {
    const connectionId = await client.connect(CLIENT_TRANSACTION_ID);
    return command.kind === 'udp-announce'
      ? client.announce(CLIENT_TRANSACTION_ID, connectionId, command.params)
      : client.scrape(CLIENT_TRANSACTION_ID, connectionId, command.infoHashes);
  });
  io.stdout(renderJson(serializableUdpResponse(response), command.style));
  return EXIT_OK;
}

async function fetchTracker(url: string, timeoutMs: number, insecure: boolean): Promise<Buffer> {
  let res;
  try {
    res = await httpGet(url, { timeoutMs, insecure });
  } catch (error) {
    if (error instanceof TrackerRequestError && error.timeout) {
      throw new TrackerRequestError(
        `Http request did not receive a response within the timeout: ${error.message}`,
        true,
      );
    }
    throw new TrackerRequestError(`Failed to get a response: ${errorMessage(error)}`);
  }
  if (!isSuccess(res.status)) {
    const excerpt = res.body.subarray(0, 200).toString('latin1');
    throw new TrackerRequestError(
      `Returned a non-success code: "${statusText(res.status)}" with the response: ${JSON.stringify(excerpt)}`,
    );
  }
  return res.body;
}

/** The newer Torrust CLI's fallback: print the body as JSON (or a raw-bytes warning), then fail. */
function unrecognized(body: Buffer, style: JsonStyle, what: 'announce' | 'scrape', io: ConsoleIo): number {
  const json = bencodeToJson(body);
  io.stdout(
    json === null
      ? `Warning: Could not deserialize HTTP tracker response. Raw bytes: ${JSON.stringify(body.toString('latin1'))}\n`
      : `${renderJson(json, style)}\n`,
  );
  const reason = failureReason(body);
  io.stderr(
    `Error: unrecognized ${what} response from tracker${reason !== undefined ? ` (failure reason: "${reason}")` : ''}\n`,
  );
  return EXIT_FAILURE;
}

async function runHttp(
  command: Extract<Command, { kind: 'http-announce' | 'http-scrape' }>,
  io: ConsoleIo,
): Promise<number> {
  if (command.kind === 'http-announce') {
    const body = await fetchTracker(announceUrl(command.tracker, command.params), command.timeoutMs, command.insecure);
    const dictionary = readAnnounceDictionary(body);
    if (dictionary.ok) {
      io.stdout(`${renderJson(dictionary.value, command.style)}\n`);
      return EXIT_OK;
    }
    const compact = readAnnounceCompact(body);
    if (compact.ok) {
      io.stdout(`${renderJson(compact.value, command.style)}\n`);
      return EXIT_OK;
    }
    return unrecognized(body, command.style, 'announce', io);
  }
  const body = await fetchTracker(scrapeUrl(command.tracker, command.infoHashes), command.timeoutMs, command.insecure);
  const scrape = readScrape(body);
  if (!scrape.ok) return unrecognized(body, command.style, 'scrape', io);
  io.stdout(`${renderJson(scrape.value, command.style)}\n`);
  return EXIT_OK;
}

async function loadCheckerConfig(input: CheckerConfigInput): Promise<CheckerConfig> {
  let text: string;
  let source: string;
  if (input.kind === 'none') {
    throw new ConfigurationError(
      'TORRUST_CHECKER_CONFIG',
      'no configuration provided: use -c <FILE>, TORRUST_CHECKER_CONFIG_PATH, a JSON argument or TORRUST_CHECKER_CONFIG',
    );
  }
  if (input.kind === 'file') {
    source = input.path;
    try {
      text = await readFile(input.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigurationError(source, `can't read config file ${input.path}: ${code ?? errorMessage(error)}`);
    }
  } else {
    source = input.source;
    text = input.json;
  }
  const parsed = parseCheckerConfig(text);
  if (!parsed.ok) throw new ConfigurationError(source, parsed.message);
  return parsed.value;
}

function errorEnvelope(kind: string, source: string, message: string): string {
  return `${JSON.stringify({ error: { kind, source, message } })}\n`;
}

async function runCheck(command: Extract<Command, { kind: 'check' }>, io: ConsoleIo): Promise<number> {
  let config: CheckerConfig;
  try {
    config = await loadCheckerConfig(command.config);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    io.stderr(errorEnvelope('invalid_configuration', error.source, error.message));
    return EXIT_USAGE;
  }
  try {
    const results = await runChecks(config, {
      timeoutMs: command.timeoutMs,
      insecure: command.insecure,
      peerId: command.peerId,
    });
    io.stdout(renderCheckResults(results, command.format));
    return results.every(passed) ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    io.stderr(errorEnvelope('runtime_failure', 'runtime', errorMessage(error)));
    return EXIT_FAILURE;
  }
}

async function runMonitor(command: Extract<Command, { kind: 'monitor-udp' }>, io: ConsoleIo): Promise<number> {
  const signal = io.interrupts?.() ?? new AbortController().signal;
  const summary = await runUdpMonitor(command.config, { progress: (line) => io.stderr(`${line}\n`), signal });
  io.stdout(`${summary}\n`);
  return EXIT_OK;
}

/** Runs one program invocation; resolves with its exit code. Never throws. */
export async function runProgram(program: ProgramName, argv: readonly string[], io: ConsoleIo): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(program, argv, { env: io.env });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${error.usage}\n\nFor more information, try '--help'.\n`);
      return EXIT_USAGE;
    }
    io.stderr(`Error: ${errorMessage(error)}\n`);
    return EXIT_FAILURE;
  }
  try {
    switch (command.kind) {
      case 'help':
        io.stdout(`${command.text}\n`);
        return EXIT_OK;
      case 'version':
        io.stdout(`${program} ${packageVersion()}\n`);
        return EXIT_OK;
      case 'udp-announce':
      case 'udp-scrape':
        return await runUdp(command, io);
      case 'http-announce':
      case 'http-scrape':
        return await runHttp(command, io);
      case 'check':
        return await runCheck(command, io);
      case 'monitor-udp':
        return await runMonitor(command, io);
    }
  } catch (error) {
    io.stderr(`Error: ${errorMessage(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** Runs the program in this process and exits with its code once stdout and stderr are flushed. */
export async function runFromCommandLine(program: ProgramName): Promise<void> {
  const pending: Promise<void>[] = [];
  const writer = (stream: NodeJS.WriteStream) => {
    stream.on('error', () => undefined); // EPIPE when the reader went away: nothing left to tell
    return (text: string) => {
      pending.push(new Promise((resolve) => stream.write(text, () => resolve())));
    };
  };
  const code = await runProgram(program, process.argv.slice(2), {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    env: process.env,
    interrupts: () => {
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      return controller.signal;
    },
  });
  await Promise.all(pending);
  process.exit(code);
}
