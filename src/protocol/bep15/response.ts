/**
 * BEP 15 response encoding for the tracker side: connect, announce (header + 6/18-byte peers),
 * scrape and error packets, written at fixed offsets into a caller-provided Buffer (one of
 * MAX_PACKET_SIZE bytes fits every reply Torrust's limits allow). Counts and intervals above the
 * i32 range are clamped, never wrapped. No allocation.
 *
 * UDP handler sketch (announce): `let o = writeAnnounceHeader(out, tx, interval, leechers, seeders);`
 * then per peer `o = writePeerV4(out, o, addr, addrOffset, port)` (or V6), then send `out` [0, o).
 * The caller must not reuse `out` before the socket is done with it (send callback), or send a copy.
 */
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ACTION_ERROR,
  ACTION_SCRAPE,
  ANNOUNCE_RESPONSE_HEADER_SIZE,
  CONNECT_RESPONSE_SIZE,
  ERROR_RESPONSE_HEADER_SIZE,
  I32_MAX,
  PEER_V4_SIZE,
  PEER_V6_SIZE,
  SCRAPE_RESPONSE_ENTRY_SIZE,
  SCRAPE_RESPONSE_HEADER_SIZE,
} from './constants.js';
import { type Bep15ParseError, parseErrorMessageBytes } from './request.js';

/** A count or interval as a non-negative i32: above I32_MAX → I32_MAX, negative or NaN → 0. */
export function clampI32(value: number): number {
  if (value > I32_MAX) return I32_MAX;
  if (value > 0) return Math.floor(value);
  return 0;
}

function put32(out: Uint8Array, o: number, v: number): void {
  out[o] = v >>> 24;
  out[o + 1] = v >>> 16;
  out[o + 2] = v >>> 8;
  out[o + 3] = v;
}

/**
 * Connect response (16 bytes): action 0, transaction id, the 8-byte connection id taken from
 * `connectionId[connectionIdOffset..+8]`. Returns 16.
 */
export function writeConnectResponse(
  out: Uint8Array,
  transactionId: number,
  connectionId: Uint8Array,
  connectionIdOffset = 0,
): number {
  put32(out, 0, ACTION_CONNECT);
  put32(out, 4, transactionId | 0);
  for (let i = 0; i < 8; i++) out[8 + i] = connectionId[connectionIdOffset + i];
  return CONNECT_RESPONSE_SIZE;
}

/** Connect response with the connection id given as two i32/u32 halves (high, low). Returns 16. */
export function writeConnectResponseParts(
  out: Uint8Array,
  transactionId: number,
  connectionIdHigh: number,
  connectionIdLow: number,
): number {
  put32(out, 0, ACTION_CONNECT);
  put32(out, 4, transactionId | 0);
  put32(out, 8, connectionIdHigh | 0);
  put32(out, 12, connectionIdLow | 0);
  return CONNECT_RESPONSE_SIZE;
}

/**
 * Announce response header (20 bytes): action 1, transaction id, interval, leechers, seeders
 * (BEP 15 order). Returns 20, the offset of the first peer entry.
 */
export function writeAnnounceHeader(
  out: Uint8Array,
  transactionId: number,
  interval: number,
  leechers: number,
  seeders: number,
): number {
  put32(out, 0, ACTION_ANNOUNCE);
  put32(out, 4, transactionId | 0);
  put32(out, 8, clampI32(interval));
  put32(out, 12, clampI32(leechers));
  put32(out, 16, clampI32(seeders));
  return ANNOUNCE_RESPONSE_HEADER_SIZE;
}

/** One IPv4 peer (4 address bytes from `addr[addrOffset]`, u16 port). Returns `offset + 6`. */
export function writePeerV4(
  out: Uint8Array,
  offset: number,
  addr: Uint8Array,
  addrOffset: number,
  port: number,
): number {
  out[offset] = addr[addrOffset];
  out[offset + 1] = addr[addrOffset + 1];
  out[offset + 2] = addr[addrOffset + 2];
  out[offset + 3] = addr[addrOffset + 3];
  out[offset + 4] = port >>> 8;
  out[offset + 5] = port;
  return offset + PEER_V4_SIZE;
}

/** One IPv4 peer whose address is a u32 (`a << 24 | b << 16 | c << 8 | d`). Returns `offset + 6`. */
export function writePeerV4FromInt(out: Uint8Array, offset: number, address: number, port: number): number {
  put32(out, offset, address);
  out[offset + 4] = port >>> 8;
  out[offset + 5] = port;
  return offset + PEER_V4_SIZE;
}

/** One IPv6 peer (16 address bytes from `addr[addrOffset]`, u16 port). Returns `offset + 18`. */
export function writePeerV6(
  out: Uint8Array,
  offset: number,
  addr: Uint8Array,
  addrOffset: number,
  port: number,
): number {
  for (let i = 0; i < 16; i++) out[offset + i] = addr[addrOffset + i];
  out[offset + 16] = port >>> 8;
  out[offset + 17] = port;
  return offset + PEER_V6_SIZE;
}

/** Scrape response header (8 bytes): action 2, transaction id. Returns 8. */
export function writeScrapeHeader(out: Uint8Array, transactionId: number): number {
  put32(out, 0, ACTION_SCRAPE);
  put32(out, 4, transactionId | 0);
  return SCRAPE_RESPONSE_HEADER_SIZE;
}

/** One scrape entry (BEP 15 order: seeders, completed, leechers). Returns `offset + 12`. */
export function writeScrapeEntry(
  out: Uint8Array,
  offset: number,
  seeders: number,
  completed: number,
  leechers: number,
): number {
  put32(out, offset, clampI32(seeders));
  put32(out, offset + 4, clampI32(completed));
  put32(out, offset + 8, clampI32(leechers));
  return offset + SCRAPE_RESPONSE_ENTRY_SIZE;
}

/**
 * Error response: action 3, transaction id, then the message bytes (no length, no NUL).
 * The message is cut to fit `out`. Returns the packet length.
 */
export function writeErrorResponse(out: Uint8Array, transactionId: number, message: Uint8Array): number {
  put32(out, 0, ACTION_ERROR);
  put32(out, 4, transactionId | 0);
  const n = Math.min(message.length, out.length - ERROR_RESPONSE_HEADER_SIZE);
  for (let i = 0; i < n; i++) out[ERROR_RESPONSE_HEADER_SIZE + i] = message[i];
  return ERROR_RESPONSE_HEADER_SIZE + n;
}

/** Error response with a text message (UTF-8, cut to fit `out`). Returns the packet length. */
export function writeErrorResponseText(out: Buffer, transactionId: number, message: string): number {
  put32(out, 0, ACTION_ERROR);
  put32(out, 4, transactionId | 0);
  return ERROR_RESPONSE_HEADER_SIZE + out.write(message, ERROR_RESPONSE_HEADER_SIZE, 'utf8');
}

/**
 * Error response for a `parseRequest` failure: `error parsing request: <reason>` with the
 * transaction id left in the request object by the parser. Returns the packet length.
 */
export function writeParseErrorResponse(out: Uint8Array, code: Bep15ParseError, transactionId: number): number {
  return writeErrorResponse(out, transactionId, parseErrorMessageBytes(code));
}
