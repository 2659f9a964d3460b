/**
 * The tracker checker's configuration, Torrust's JSON shape:
 * `{"udp_trackers": [...], "http_trackers": [...], "health_checks": [...]}` (all three arrays
 * required, may be empty; other keys ignored). UDP entries get `udp://` prepended when missing and
 * need an explicit port; HTTP trackers and health checks must be http(s) URLs. Pure: the caller
 * reads the file or environment variable and reports a failure as an invalid configuration.
 */
import { parseUdpTrackerAddress, type Parsed, type UdpTrackerAddress } from '../targets.js';

export interface UdpCheckTarget extends UdpTrackerAddress {
  /** The entry after the `udp://` prefix was added. */
  url: string;
}

export interface CheckerConfig {
  udpTrackers: UdpCheckTarget[];
  httpTrackers: URL[];
  healthChecks: URL[];
}

const GROUPS = ['udp_trackers', 'http_trackers', 'health_checks'] as const;

function fail<T>(message: string): Parsed<T> {
  return { ok: false, message };
}

function parseHttpUrl(group: string, index: number, text: string): Parsed<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`Invalid URL: ${group}[${index}] ${JSON.stringify(text)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`Invalid URL: ${group}[${index}] ${JSON.stringify(text)} must be an http:// or https:// URL`);
  }
  return { ok: true, value: url };
}

export function parseCheckerConfig(json: string): Parsed<CheckerConfig> {
  let plain: unknown;
  try {
    plain = JSON.parse(json);
  } catch (error) {
    return fail(`JSON parse error: ${(error as Error).message}`);
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return fail('the configuration must be a JSON object with `udp_trackers`, `http_trackers` and `health_checks`');
  }
  const lists: Record<string, string[]> = {};
  for (const group of GROUPS) {
    const value = (plain as Record<string, unknown>)[group];
    if (value === undefined) return fail(`missing field \`${group}\``);
    if (!Array.isArray(value)) return fail(`\`${group}\` must be an array of strings`);
    const bad = value.findIndex((v) => typeof v !== 'string');
    if (bad >= 0) return fail(`${group}[${bad}] must be a string, got ${JSON.stringify(value[bad])}`);
    lists[group] = value as string[];
  }

  const udpTrackers: UdpCheckTarget[] = [];
  for (const [i, entry] of lists.udp_trackers.entries()) {
    const url = entry.startsWith('udp://') ? entry : `udp://${entry}`;
    const parsed = parseUdpTrackerAddress(url);
    if (!parsed.ok) return fail(`Invalid URL: udp_trackers[${i}] ${JSON.stringify(entry)}: ${parsed.message}`);
    udpTrackers.push({ ...parsed.value, url });
  }
  const httpTrackers: URL[] = [];
  for (const [i, entry] of lists.http_trackers.entries()) {
    const parsed = parseHttpUrl('http_trackers', i, entry);
    if (!parsed.ok) return parsed;
    httpTrackers.push(parsed.value);
  }
  const healthChecks: URL[] = [];
  for (const [i, entry] of lists.health_checks.entries()) {
    const parsed = parseHttpUrl('health_checks', i, entry);
    if (!parsed.ok) return parsed;
    healthChecks.push(parsed.value);
  }
  return { ok: true, value: { udpTrackers, httpTrackers, healthChecks } };
}
