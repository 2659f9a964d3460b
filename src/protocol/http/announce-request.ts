/**
 * HTTP announce request parsing (BEP 3, compact BEP 23) with Torrust's rules and newest failure
 * texts (error-texts.md): info_hash/peer_id exactly 20 bytes, port u16 (0 accepted), byte counters
 * u64 fitting i64, event `started|stopped|completed|empty` (absent or empty = none, our fix),
 * compact `0|1`, numwant u32. Unknown params are ignored; the first occurrence of a name wins.
 *
 * Hot path: the handler owns one `HttpAnnounceRequest` and calls
 * `parseAnnounceRequest(rawQueryOf(url), req)`; null means success (the fields are filled, the
 * info hash and peer id copied into the request's own 20-byte buffers), a string is the failure
 * reason for `encodeFailureResponse`. Byte counters are JS numbers: exact up to 2^53, rounded above.
 */
import {
  ANNOUNCE_EVENT_COMPLETED,
  ANNOUNCE_EVENT_NONE,
  ANNOUNCE_EVENT_STARTED,
  ANNOUNCE_EVENT_STOPPED,
  type AnnounceEventCode,
} from '../announce-event.js';
import {
  I64_OVERFLOW,
  NOT_UNSIGNED,
  decodeTwentyBytes,
  parseU64FitsI64,
  parseUnsigned,
  wrongLengthText,
} from './params.js';
import { invalidQueryParamFailure, scanQuery } from './query.js';

export const ANNOUNCE_LOCATION = 'src/protocol/http/announce-request.ts';
export const ANNOUNCE_FAILURE_PREFIX = 'Bad request. Cannot parse query params for announce request: ';

/** A parsed announce; owned and reused by the caller. */
export class HttpAnnounceRequest {
  readonly infoHash = Buffer.alloc(20);
  readonly peerId = Buffer.alloc(20);
  port = 0;
  /** Default 0 when absent. */
  uploaded = 0;
  downloaded = 0;
  left = 0;
  event: AnnounceEventCode = ANNOUNCE_EVENT_NONE;
  /** True only for `compact=1`. */
  compact = false;
  /** u32, or undefined when `numwant` is absent. */
  numWant: number | undefined = undefined;
}

/** First raw value of each known param, filled by the scan of the current call (not re-entrant). */
class FirstValues {
  infoHash: string | undefined;
  peerId: string | undefined;
  port: string | undefined;
  downloaded: string | undefined;
  uploaded: string | undefined;
  left: string | undefined;
  event: string | undefined;
  compact: string | undefined;
  numwant: string | undefined;

  reset(): void {
    this.infoHash = this.peerId = this.port = undefined;
    this.downloaded = this.uploaded = this.left = undefined;
    this.event = this.compact = this.numwant = undefined;
  }
}

const seen = new FirstValues();

function visit(name: string, value: string): void {
  switch (name) {
    case 'info_hash':
      seen.infoHash ??= value;
      break;
    case 'peer_id':
      seen.peerId ??= value;
      break;
    case 'port':
      seen.port ??= value;
      break;
    case 'downloaded':
      seen.downloaded ??= value;
      break;
    case 'uploaded':
      seen.uploaded ??= value;
      break;
    case 'left':
      seen.left ??= value;
      break;
    case 'event':
      seen.event ??= value;
      break;
    case 'compact':
      seen.compact ??= value;
      break;
    case 'numwant':
      seen.numwant ??= value;
      break;
  }
}

function failure(text: string): string {
  return ANNOUNCE_FAILURE_PREFIX + text;
}

function missing(name: string): string {
  return failure(`missing param ${name} in ${ANNOUNCE_LOCATION}`);
}

function invalid(name: string, raw: string): string {
  return failure(`invalid param value ${raw} for ${name} in ${ANNOUNCE_LOCATION}`);
}

function counter(name: string, raw: string | undefined): number | string {
  if (raw === undefined) return 0;
  const v = parseU64FitsI64(raw);
  if (v === NOT_UNSIGNED) return invalid(name, raw);
  if (v === I64_OVERFLOW) return failure(`param value overflow ${raw} for ${name} in ${ANNOUNCE_LOCATION}`);
  return v;
}

/**
 * Parses a raw query (undefined = the URL had no `?`) into `into`. Returns null on success or the
 * failure reason. Checks run in Torrust's order: query syntax, info_hash, peer_id, port,
 * downloaded, uploaded, left, event, compact, numwant. On failure `into` is partly overwritten.
 */
export function parseAnnounceRequest(rawQuery: string | undefined, into: HttpAnnounceRequest): string | null {
  if (rawQuery === undefined) return failure(`missing query params for announce request in ${ANNOUNCE_LOCATION}`);
  seen.reset();
  const bad = scanQuery(rawQuery, visit);
  if (bad !== undefined) return invalidQueryParamFailure(bad);
  const { infoHash, peerId, port, event, compact, numwant } = seen;

  if (infoHash === undefined) return missing('info_hash');
  let n = decodeTwentyBytes(infoHash, into.infoHash, 0);
  if (n !== 20) {
    return failure(
      `invalid param value ${infoHash} for info_hash in ${wrongLengthText('infohash', n)} ${ANNOUNCE_LOCATION}`,
    );
  }
  if (peerId === undefined) return missing('peer_id');
  n = decodeTwentyBytes(peerId, into.peerId, 0);
  if (n !== 20) {
    return failure(
      `invalid param value ${peerId} for peer_id in ${wrongLengthText('peer id', n)} ${ANNOUNCE_LOCATION}`,
    );
  }
  if (port === undefined) return missing('port');
  const p = parseUnsigned(port, 0xffff);
  if (p === NOT_UNSIGNED) return invalid('port', port);
  into.port = p;

  const d = counter('downloaded', seen.downloaded);
  if (typeof d === 'string') return d;
  const u = counter('uploaded', seen.uploaded);
  if (typeof u === 'string') return u;
  const l = counter('left', seen.left);
  if (typeof l === 'string') return l;
  into.downloaded = d;
  into.uploaded = u;
  into.left = l;

  switch (event) {
    case undefined:
    case '':
    case 'empty':
      into.event = ANNOUNCE_EVENT_NONE;
      break;
    case 'started':
      into.event = ANNOUNCE_EVENT_STARTED;
      break;
    case 'stopped':
      into.event = ANNOUNCE_EVENT_STOPPED;
      break;
    case 'completed':
      into.event = ANNOUNCE_EVENT_COMPLETED;
      break;
    default:
      return invalid('event', event);
  }

  if (compact === undefined || compact === '0') into.compact = false;
  else if (compact === '1') into.compact = true;
  else return invalid('compact', compact);

  if (numwant === undefined) {
    into.numWant = undefined;
  } else {
    const w = parseUnsigned(numwant, 0xffffffff);
    if (w === NOT_UNSIGNED) return invalid('numwant', numwant);
    into.numWant = w;
  }
  return null;
}
