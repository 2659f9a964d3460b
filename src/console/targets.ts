/**
 * Command-line values of the console tools, parsed the way Torrust's clients accept them:
 * info-hashes (40 hex characters), UDP tracker addresses (a URL with an explicit port, or
 * `host:port`), HTTP tracker URLs, and the announce/scrape URLs derived from an HTTP tracker URL.
 * Pure: no DNS and no I/O; every function returns the parsed value or a message for the user.
 */

export const INFO_HASH_PATTERN = /^[0-9a-fA-F]{40}$/;
/** Torrust's sample info-hash, used by the checker and the monitor. */
export const SAMPLE_INFO_HASH = '9c38422213e30bff212b30c360d26f9a02136422';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(message: string): Parsed<T> {
  return { ok: false, message };
}

export function parseInfoHash(text: string): Parsed<Buffer> {
  if (!INFO_HASH_PATTERN.test(text)) {
    return fail(`failed to parse info-hash \`${text}\`: expected 40 hexadecimal characters`);
  }
  return ok(Buffer.from(text, 'hex'));
}

/** Info-hashes given as separate arguments and/or space-separated inside one argument. */
export function parseInfoHashes(args: readonly string[]): Parsed<Buffer[]> {
  const out: Buffer[] = [];
  for (const arg of args) {
    for (const part of arg.split(' ')) {
      if (part === '') continue;
      const parsed = parseInfoHash(part);
      if (!parsed.ok) return parsed;
      out.push(parsed.value);
    }
  }
  return ok(out);
}

/** A UDP tracker as typed: a host name or IP literal (IPv6 without brackets) and a port. */
export interface UdpTrackerAddress {
  host: string;
  port: number;
}

function parsePort(text: string, whole: string): Parsed<number> {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 0xffff) return fail(`invalid port \`${text}\` in \`${whole}\``);
  if (Number(text) === 0) return fail(`port 0 is not a valid tracker port in \`${whole}\``);
  return ok(Number(text));
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * `udp://host:port[/path]` (any scheme; the path is ignored), `host:port` or `[v6]:port`.
 * Torrust reads `localhost:6969` as a URL with the scheme `localhost` and rejects it; we accept it.
 */
export function parseUdpTrackerAddress(text: string): Parsed<UdpTrackerAddress> {
  if (text.includes('://')) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail(`invalid tracker address \`${text}\`: not a valid URL`);
    }
    const host = stripBrackets(url.hostname);
    if (host === '') return fail(`invalid host in URL: \`${text}\``);
    if (url.port === '') return fail(`port not found in URL: \`${text}\``);
    const port = parsePort(url.port, text);
    return port.ok ? ok({ host, port: port.value }) : port;
  }
  const bracketed = /^\[([^\]]+)\]:([^:]*)$/.exec(text);
  const parts = text.split(':');
  if (!bracketed && parts.length !== 2) {
    return fail(`invalid address format: \`${text}\`. Expected format is host:port or udp://host:port`);
  }
  const [host, portText] = bracketed ? [bracketed[1], bracketed[2]] : parts;
  if (host === '' || /[/\s]/.test(host)) return fail(`invalid host in address: \`${text}\``);
  const port = parsePort(portText, text);
  return port.ok ? ok({ host, port: port.value }) : port;
}

/** `host:port`, or `[v6]:port` for an IPv6 literal (as Rust's `SocketAddr` prints). */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** An `http://` or `https://` tracker URL without query or fragment. */
export function parseHttpTrackerUrl(text: string): Parsed<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`failed to parse HTTP tracker URL \`${text}\`: not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`unsupported scheme in HTTP tracker URL \`${text}\`: use http:// or https://`);
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    return fail(
      `invalid HTTP tracker URL \`${text}\`: give only scheme, host, optional port and optional path, ` +
        'without a query or fragment (request parameters have their own options)',
    );
  }
  return ok(url);
}

/**
 * The announce or scrape URL (without query) for an HTTP tracker URL. A base URL gets the verb
 * appended (`http://h:7070` → `http://h:7070/announce`, Torrust's rule); a URL whose path already
 * names `announce` (also `…/announce/<key>`, Torrust's private mode) keeps it for announce and
 * swaps it for `scrape` (BEP 48). Torrust's client would request `…/announceannounce` instead.
 */
export function trackerEndpoint(tracker: URL, verb: 'announce' | 'scrape'): string {
  const url = new URL(tracker.href);
  url.search = '';
  url.hash = '';
  const segments = url.pathname.split('/');
  const last = segments.length - 1;
  const named = [last, last - 1].find((i) => i > 0 && (segments[i] === 'announce' || segments[i] === 'scrape'));
  if (named !== undefined) {
    segments[named] = verb;
    url.pathname = segments.join('/');
  } else {
    url.pathname = url.pathname.endsWith('/') ? `${url.pathname}${verb}` : `${url.pathname}/${verb}`;
  }
  return url.href;
}
