/**
 * HTTP scrape request parsing (BEP 48) with Torrust's rules and newest failure texts
 * (error-texts.md): every `info_hash` value, in request order, each exactly 20 bytes after
 * percent-decoding; the first bad one fails the request; none at all → `missing param info_hash`.
 *
 * The handler owns one `HttpScrapeRequest`; on success (`null`) hash i is at
 * `req.infoHashes[i * 20 .. + 20]` (`req.count` of them, duplicates kept as sent).
 */
import { decodeTwentyBytes, wrongLengthText } from './params.js';
import { invalidQueryParamFailure, scanQuery } from './query.js';

export const SCRAPE_LOCATION = 'src/protocol/http/scrape-request.ts';
export const SCRAPE_FAILURE_PREFIX = 'Bad request. Cannot parse query params for scrape request: ';

/** A parsed scrape; owned and reused by the caller. */
export class HttpScrapeRequest {
  /** `count` info hashes, 20 bytes each, back to back (capacity grows as needed). */
  infoHashes: Buffer = Buffer.alloc(20 * 16);
  count = 0;

  /** A view of hash `i` (allocates a small view object; the hot path can use offsets instead). */
  infoHash(i: number): Buffer {
    return this.infoHashes.subarray(i * 20, i * 20 + 20);
  }
}

const rawHashes: string[] = [];

function collect(name: string, value: string): void {
  if (name === 'info_hash') rawHashes.push(value);
}

/**
 * Parses a raw query (undefined = the URL had no `?`) into `into`. Returns null on success or the
 * failure reason.
 */
export function parseScrapeRequest(rawQuery: string | undefined, into: HttpScrapeRequest): string | null {
  into.count = 0;
  if (rawQuery === undefined) {
    return `${SCRAPE_FAILURE_PREFIX}missing query params for scrape request in ${SCRAPE_LOCATION}`;
  }
  rawHashes.length = 0;
  const bad = scanQuery(rawQuery, collect);
  if (bad !== undefined) {
    rawHashes.length = 0;
    return invalidQueryParamFailure(bad);
  }
  const n = rawHashes.length;
  if (n === 0) return `${SCRAPE_FAILURE_PREFIX}missing param info_hash in ${SCRAPE_LOCATION}`;
  if (into.infoHashes.length < n * 20)
    into.infoHashes = Buffer.alloc(Math.max(n, 2 * (into.infoHashes.length / 20)) * 20);
  for (let i = 0; i < n; i++) {
    const raw = rawHashes[i];
    const got = decodeTwentyBytes(raw, into.infoHashes, i * 20);
    if (got !== 20) {
      rawHashes.length = 0;
      return (
        `${SCRAPE_FAILURE_PREFIX}invalid param value ${raw} for info_hash in ` +
        `${wrongLengthText('infohash', got)} ${SCRAPE_LOCATION}`
      );
    }
  }
  rawHashes.length = 0;
  into.count = n;
  return null;
}
