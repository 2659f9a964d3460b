/**
 * The tracker checker's checks, with Torrust's pass/fail rules: a UDP tracker is checked with
 * Setup (resolve, bind, connect the socket), Connect (transaction id 1), Announce and Scrape of the
 * sample info-hash, where any well-formed reply passes (an error packet too) and a failed Setup or
 * Connect skips the rest; an HTTP tracker (path dropped) passes Announce on 2xx plus the dictionary
 * announce and Scrape on 2xx plus the strict scrape; a health URL passes on any 2xx. Every step has
 * the time limit. Entries run concurrently; results come back in configuration order.
 */
import { TrackerRequestError, errorMessage } from '../cli-error.js';
import { httpGet, isSuccess, statusText, type HttpGetResult } from '../http/http-get.js';
import {
  announceUrl,
  defaultHttpAnnounceParams,
  failureReason,
  readAnnounceDictionary,
  readScrape,
  scrapeUrl,
  type Read,
} from '../http/http-tracker-client.js';
import { resolveAddress } from '../resolve.js';
import { SAMPLE_INFO_HASH, formatHostPort } from '../targets.js';
import {
  BASELINE_PEER_ID,
  CHECKER_TRANSACTION_ID,
  UdpTrackerClient,
  defaultAnnounceParams,
} from '../udp/udp-tracker-client.js';
import type { CheckerConfig, UdpCheckTarget } from './checker-config.js';

export type CheckOutcome = { Ok: null } | { Err: string };
export type UdpCheckName = 'Setup' | 'Connect' | 'Announce' | 'Scrape';
export type HttpCheckName = 'Announce' | 'Scrape';

export interface UdpChecks {
  remote_addr: string;
  results: [UdpCheckName, CheckOutcome][];
}

export interface HttpChecks {
  url: string;
  results: [HttpCheckName, CheckOutcome][];
}

export interface HealthChecks {
  url: string;
  result: { Ok: string } | { Err: string };
}

/** `Ok` when every check of the entry passed, else `Err`, with the same inner shape. */
export type Verdict<T> = { Ok: T } | { Err: T };

export type CheckResult =
  { Udp: Verdict<UdpChecks> } | { Http: Verdict<HttpChecks> } | { Health: Verdict<HealthChecks> };

export interface CheckOptions {
  timeoutMs: number;
  insecure?: boolean;
  /** The announce peer id (Torrust's checker: `-qB00000000000000001`). */
  peerId?: Buffer;
}

const OK: CheckOutcome = { Ok: null };
const SAMPLE = Buffer.from(SAMPLE_INFO_HASH, 'hex');

function err(error: unknown): CheckOutcome {
  return { Err: errorMessage(error) };
}

function verdict<T>(passed: boolean, checks: T): Verdict<T> {
  return passed ? { Ok: checks } : { Err: checks };
}

export async function checkUdpTracker(target: UdpCheckTarget, o: CheckOptions): Promise<CheckResult> {
  const checks: UdpChecks = { remote_addr: formatHostPort(target.host, target.port), results: [] };
  const done = () => ({
    Udp: verdict(
      checks.results.every(([, r]) => 'Ok' in r),
      checks,
    ),
  });
  let client: UdpTrackerClient;
  try {
    const remote = await resolveAddress(target.host, target.port, o.timeoutMs);
    checks.remote_addr = formatHostPort(remote.address, remote.port);
    client = await UdpTrackerClient.open(remote, o.timeoutMs);
    checks.results.push(['Setup', OK]);
  } catch (error) {
    checks.results.push(['Setup', err(error)]);
    return done();
  }
  try {
    let connectionId: Buffer;
    try {
      connectionId = await client.connect(CHECKER_TRANSACTION_ID);
      checks.results.push(['Connect', OK]);
    } catch (error) {
      checks.results.push(['Connect', err(error)]);
      return done();
    }
    const params = defaultAnnounceParams(SAMPLE, o.peerId ?? BASELINE_PEER_ID);
    try {
      await client.announce(CHECKER_TRANSACTION_ID, connectionId, params);
      checks.results.push(['Announce', OK]);
    } catch (error) {
      checks.results.push(['Announce', err(error)]);
    }
    try {
      await client.scrape(CHECKER_TRANSACTION_ID, connectionId, [SAMPLE]);
      checks.results.push(['Scrape', OK]);
    } catch (error) {
      checks.results.push(['Scrape', err(error)]);
    }
    return done();
  } finally {
    client.close();
  }
}

function bodyExcerpt(body: Buffer): string {
  const text = body.subarray(0, 200).toString('latin1');
  return JSON.stringify(body.length > 200 ? `${text}…` : text);
}

/** 2xx and a body `read` accepts, else a message naming what was wrong. */
export function judgeTrackerResponse<T>(res: HttpGetResult, read: (body: Buffer) => Read<T>): Read<T> {
  if (!isSuccess(res.status)) {
    return {
      ok: false,
      message: `Returned a non-success code: "${statusText(res.status)}" with the response: ${bodyExcerpt(res.body)}`,
    };
  }
  const parsed = read(res.body);
  if (parsed.ok) return parsed;
  const reason = failureReason(res.body);
  return {
    ok: false,
    message:
      reason !== undefined
        ? `The tracker answered with a failure: "${reason}"`
        : `Failed to deserialize the bencoded response data with the error: "${parsed.message}"`,
  };
}

async function httpCheck<T>(url: string, read: (body: Buffer) => Read<T>, o: CheckOptions): Promise<CheckOutcome> {
  try {
    const judged = judgeTrackerResponse(await httpGet(url, o), read);
    return judged.ok ? OK : { Err: judged.message };
  } catch (error) {
    const timeout = error instanceof TrackerRequestError && error.timeout;
    return {
      Err: timeout
        ? `Http request did not receive a response within the timeout: ${errorMessage(error)}`
        : `Failed to get a response: ${errorMessage(error)}`,
    };
  }
}

export async function checkHttpTracker(tracker: URL, o: CheckOptions): Promise<CheckResult> {
  const base = new URL('/', tracker);
  const checks: HttpChecks = { url: tracker.href, results: [] };
  const announce = announceUrl(base, defaultHttpAnnounceParams(SAMPLE, 'completed'));
  checks.results.push(['Announce', await httpCheck(announce, readAnnounceDictionary, o)]);
  checks.results.push(['Scrape', await httpCheck(scrapeUrl(base, [SAMPLE]), readScrape, o)]);
  return {
    Http: verdict(
      checks.results.every(([, r]) => 'Ok' in r),
      checks,
    ),
  };
}

export async function checkHealth(url: URL, o: CheckOptions): Promise<CheckResult> {
  let result: HealthChecks['result'];
  try {
    const res = await httpGet(url.href, o);
    result = isSuccess(res.status)
      ? { Ok: statusText(res.status) }
      : {
          Err: `Http check returned a non-success code: "${statusText(res.status)}" with the response: ${bodyExcerpt(res.body)}`,
        };
  } catch (error) {
    result = { Err: `Health check failed to get a response: ${errorMessage(error)}` };
  }
  return { Health: verdict('Ok' in result, { url: url.href, result }) };
}

/** Every configured entry, all at once; results in configuration order (UDP, HTTP, health). */
export function runChecks(config: CheckerConfig, o: CheckOptions): Promise<CheckResult[]> {
  return Promise.all([
    ...config.udpTrackers.map((t) => checkUdpTracker(t, o)),
    ...config.httpTrackers.map((u) => checkHttpTracker(u, o)),
    ...config.healthChecks.map((u) => checkHealth(u, o)),
  ]);
}

export function passed(result: CheckResult): boolean {
  const inner = 'Udp' in result ? result.Udp : 'Http' in result ? result.Http : result.Health;
  return 'Ok' in inner;
}
