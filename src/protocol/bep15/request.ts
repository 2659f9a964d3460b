/**
 * BEP 15 request decoding for the tracker side (connect, announce, scrape), with Torrust's
 * (aquatic_udp_protocol's) validation rules and error reasons, the newer-Torrust transaction-id
 * rule for errors, and the 1496-byte receive limit. Hot path: no allocation, no exceptions.
 *
 * Design. The UDP handler owns one `Bep15Request` and passes it with every datagram:
 *
 *   const req = new Bep15Request();              // once, at startup
 *   const action = parseRequest(msg, req);       // per datagram
 *   if (action < 0) → reply writeParseErrorResponse(out, action, req.transactionId)
 *   ACTION_CONNECT  → req.transactionId
 *   ACTION_ANNOUNCE → req.transactionId, req.connectionIdHigh/Low (or msg bytes 0..8), info hash at
 *                     msg[OFFSET_INFO_HASH..+20], peer id at msg[OFFSET_PEER_ID..+20], req.downloaded,
 *                     req.left, req.uploaded, req.event, req.numWant, req.port (ip/key are read but ignored)
 *   ACTION_SCRAPE   → req.transactionId, req.infoHashCount hashes at scrapeInfoHashOffset(i) in msg
 *
 * Nothing is copied: byte fields stay in the datagram (`req.packet`), so they are valid as long as
 * the caller keeps that Buffer unchanged. Fields not belonging to the returned action are stale.
 * i64 byte counters are returned as JS numbers (exact up to 2^53, sign always preserved).
 */
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ACTION_SCRAPE,
  ANNOUNCE_REQUEST_SIZE,
  CONNECT_REQUEST_SIZE,
  INFO_HASH_SIZE,
  MAX_PACKET_SIZE,
  MAX_SCRAPE_TORRENTS,
  MIN_REQUEST_SIZE,
  OFFSET_ACTION,
  OFFSET_DOWNLOADED,
  OFFSET_EVENT,
  OFFSET_IP_ADDRESS,
  OFFSET_KEY,
  OFFSET_LEFT,
  OFFSET_NUM_WANT,
  OFFSET_PORT,
  OFFSET_SCRAPE_INFO_HASHES,
  OFFSET_TRANSACTION_ID,
  OFFSET_UPLOADED,
  PROTOCOL_ID_HIGH,
  PROTOCOL_ID_LOW,
  SCRAPE_REQUEST_HEADER_SIZE,
} from './constants.js';

/**
 * Parse error codes (negative, so they never collide with an action). The comment gives the
 * reason text and the transaction id the error reply carries (error-texts.md, DECISIONS.md).
 */
export const Bep15ParseError = {
  /** `Couldn't parse action`: fewer than 12 bytes. tx 0. */
  CouldntParseAction: -1,
  /** `Protocol identifier missing`: connect without the magic. tx 0. */
  ProtocolIdentifierMissing: -2,
  /** `invalid data`: announce shorter than 98 bytes, connect or scrape shorter than 16. tx 0. */
  InvalidData: -3,
  /** `Port can't be 0`: announce port 0. tx echoed. */
  PortZero: -4,
  /** `Invalid announce event`: announce event outside 0..3. tx echoed. */
  InvalidAnnounceEvent: -5,
  /** `Full scrapes are not allowed`: scrape without any info hash. tx echoed. */
  FullScrapeNotAllowed: -6,
  /** `Invalid info hash list`: scrape hash bytes not a multiple of 20. tx echoed. */
  InvalidInfoHashList: -7,
  /** `Invalid action`: action other than 0, 1, 2 (3 included). tx 0. */
  InvalidAction: -8,
} as const;
export type Bep15ParseError = (typeof Bep15ParseError)[keyof typeof Bep15ParseError];

const REASONS: readonly string[] = [
  '',
  "Couldn't parse action",
  'Protocol identifier missing',
  'invalid data',
  "Port can't be 0",
  'Invalid announce event',
  'Full scrapes are not allowed',
  'Invalid info hash list',
  'Invalid action',
];

/** Prefix of every parse error message (newer Torrust, error-texts.md). */
export const PARSE_ERROR_PREFIX = 'error parsing request: ';

const MESSAGES: readonly string[] = REASONS.map((r) => PARSE_ERROR_PREFIX + r);
const MESSAGE_BYTES: readonly Buffer[] = MESSAGES.map((m) => Buffer.from(m, 'utf8'));

function indexOf(code: number): number {
  const i = -code;
  return i >= 1 && i < REASONS.length ? i : -Bep15ParseError.InvalidAction;
}

/** The bare reason, e.g. `Port can't be 0`. */
export function parseErrorReason(code: Bep15ParseError): string {
  return REASONS[indexOf(code)];
}

/** The wire message, e.g. `error parsing request: Port can't be 0`. */
export function parseErrorMessage(code: Bep15ParseError): string {
  return MESSAGES[indexOf(code)];
}

/** The wire message as UTF-8 bytes, encoded once at load time (do not modify). */
export function parseErrorMessageBytes(code: Bep15ParseError): Buffer {
  return MESSAGE_BYTES[indexOf(code)];
}

/** True when the error reply echoes the request's transaction id (newer Torrust; DECISIONS.md). */
export function parseErrorEchoesTransactionId(code: Bep15ParseError): boolean {
  return code <= Bep15ParseError.PortZero && code >= Bep15ParseError.InvalidInfoHashList;
}

const EMPTY = Buffer.alloc(0);

/**
 * A decoded request, owned and reused by the caller; `parseRequest` overwrites it. On a parse
 * error `transactionId` holds the id the error reply must carry (0 or the echoed one).
 */
export class Bep15Request {
  /** The datagram last parsed (not copied). */
  packet: Buffer = EMPTY;
  /** Bytes considered: `packet.length` capped at MAX_PACKET_SIZE. */
  length = 0;
  /** The action read at offset 8, or -1 when the datagram was too short to hold one. */
  action = -1;
  transactionId = 0;
  /** Connection id (announce, scrape) as two i32 halves, big-endian order. */
  connectionIdHigh = 0;
  connectionIdLow = 0;
  // announce
  downloaded = 0;
  left = 0;
  uploaded = 0;
  event = 0;
  /** The IPv4 field as u32 (Torrust ignores it). */
  ipAddress = 0;
  key = 0;
  /** i32; <= 0 means "default". */
  numWant = 0;
  port = 0;
  // scrape
  /** Info hashes to answer (truncated to MAX_SCRAPE_TORRENTS), in request order. */
  infoHashCount = 0;
}

function i32(p: Buffer, o: number): number {
  return (p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3];
}

function i64AsNumber(p: Buffer, o: number): number {
  return i32(p, o) * 4294967296 + (i32(p, o + 4) >>> 0);
}

/** Offset in the datagram of the i-th scrape info hash (0-based). */
export function scrapeInfoHashOffset(index: number): number {
  return OFFSET_SCRAPE_INFO_HASHES + index * INFO_HASH_SIZE;
}

/**
 * Decodes `packet` into `into`. Returns ACTION_CONNECT, ACTION_ANNOUNCE or ACTION_SCRAPE, or a
 * negative `Bep15ParseError`. Never throws. Bytes past MAX_PACKET_SIZE are ignored, as Torrust's
 * 1496-byte receive buffer does (so an over-long scrape is cut to 74 hashes before validation).
 */
export function parseRequest(packet: Buffer, into: Bep15Request): number {
  const length = packet.length > MAX_PACKET_SIZE ? MAX_PACKET_SIZE : packet.length;
  into.packet = packet;
  into.length = length;
  into.transactionId = 0;
  into.infoHashCount = 0;
  if (length < MIN_REQUEST_SIZE) {
    into.action = -1;
    return Bep15ParseError.CouldntParseAction;
  }
  const action = i32(packet, OFFSET_ACTION);
  into.action = action;
  switch (action) {
    case ACTION_CONNECT:
      if (length < CONNECT_REQUEST_SIZE) return Bep15ParseError.InvalidData;
      if (i32(packet, 0) !== PROTOCOL_ID_HIGH || i32(packet, 4) !== PROTOCOL_ID_LOW) {
        return Bep15ParseError.ProtocolIdentifierMissing;
      }
      into.transactionId = i32(packet, OFFSET_TRANSACTION_ID);
      return ACTION_CONNECT;

    case ACTION_ANNOUNCE: {
      if (length < ANNOUNCE_REQUEST_SIZE) return Bep15ParseError.InvalidData;
      const tx = i32(packet, OFFSET_TRANSACTION_ID);
      const port = (packet[OFFSET_PORT] << 8) | packet[OFFSET_PORT + 1];
      const event = i32(packet, OFFSET_EVENT);
      // aquatic order: port first, then event
      if (port === 0) {
        into.transactionId = tx;
        return Bep15ParseError.PortZero;
      }
      if (event < 0 || event > 3) {
        into.transactionId = tx;
        return Bep15ParseError.InvalidAnnounceEvent;
      }
      into.transactionId = tx;
      into.connectionIdHigh = i32(packet, 0);
      into.connectionIdLow = i32(packet, 4);
      into.downloaded = i64AsNumber(packet, OFFSET_DOWNLOADED);
      into.left = i64AsNumber(packet, OFFSET_LEFT);
      into.uploaded = i64AsNumber(packet, OFFSET_UPLOADED);
      into.event = event;
      into.ipAddress = i32(packet, OFFSET_IP_ADDRESS) >>> 0;
      into.key = i32(packet, OFFSET_KEY);
      into.numWant = i32(packet, OFFSET_NUM_WANT);
      into.port = port;
      return ACTION_ANNOUNCE;
    }

    case ACTION_SCRAPE: {
      if (length < SCRAPE_REQUEST_HEADER_SIZE) return Bep15ParseError.InvalidData;
      const tx = i32(packet, OFFSET_TRANSACTION_ID);
      into.transactionId = tx;
      const hashBytes = length - SCRAPE_REQUEST_HEADER_SIZE;
      if (hashBytes === 0) return Bep15ParseError.FullScrapeNotAllowed;
      if (hashBytes % INFO_HASH_SIZE !== 0) return Bep15ParseError.InvalidInfoHashList;
      const count = hashBytes / INFO_HASH_SIZE;
      into.connectionIdHigh = i32(packet, 0);
      into.connectionIdLow = i32(packet, 4);
      into.infoHashCount = count > MAX_SCRAPE_TORRENTS ? MAX_SCRAPE_TORRENTS : count;
      return ACTION_SCRAPE;
    }

    default:
      return Bep15ParseError.InvalidAction;
  }
}
