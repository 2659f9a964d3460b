/**
 * BEP 15 client side, for the console tools and tests: encodes connect/announce/scrape requests
 * and decodes tracker responses (connect, announce with 6- or 18-byte peers, scrape, error) into
 * plain objects. Allocates freely; a malformed response is returned as a typed error value, while
 * invalid arguments to the encoders (wrong hash length, out-of-range port) throw a RangeError.
 */
import { formatIPv4, formatIPv6 } from '../ip-text.js';
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ACTION_ERROR,
  ACTION_SCRAPE,
  ANNOUNCE_REQUEST_SIZE,
  ANNOUNCE_RESPONSE_HEADER_SIZE,
  CONNECT_REQUEST_SIZE,
  CONNECT_RESPONSE_SIZE,
  ERROR_RESPONSE_HEADER_SIZE,
  EVENT_NONE,
  INFO_HASH_SIZE,
  OFFSET_DOWNLOADED,
  OFFSET_EVENT,
  OFFSET_INFO_HASH,
  OFFSET_IP_ADDRESS,
  OFFSET_KEY,
  OFFSET_LEFT,
  OFFSET_NUM_WANT,
  OFFSET_PEER_ID,
  OFFSET_PORT,
  OFFSET_TRANSACTION_ID,
  OFFSET_UPLOADED,
  PEER_ID_SIZE,
  PEER_V4_SIZE,
  PEER_V6_SIZE,
  PROTOCOL_ID,
  SCRAPE_REQUEST_HEADER_SIZE,
  SCRAPE_RESPONSE_ENTRY_SIZE,
  SCRAPE_RESPONSE_HEADER_SIZE,
} from './constants.js';

/** A connection id as its 8 wire bytes or as a (signed or unsigned) 64-bit bigint. */
export type ConnectionIdInput = Uint8Array | bigint;

export interface AnnounceRequestParams {
  connectionId: ConnectionIdInput;
  transactionId: number;
  infoHash: Uint8Array;
  peerId: Uint8Array;
  /** i64; default 0. */
  downloaded?: bigint | number;
  left?: bigint | number;
  uploaded?: bigint | number;
  /** EVENT_NONE (default), EVENT_COMPLETED, EVENT_STARTED, EVENT_STOPPED; any i32 is encoded as given. */
  event?: number;
  /** IPv4 as 4 bytes or a u32; default 0 (the tracker uses the source address). */
  ipAddress?: Uint8Array | number;
  /** i32/u32; default 0. */
  key?: number;
  /** i32, -1 = default; default -1. */
  numWant?: number;
  /** u16. */
  port: number;
}

function writeConnectionId(out: Buffer, offset: number, id: ConnectionIdInput): void {
  if (typeof id === 'bigint') {
    out.writeBigUInt64BE(BigInt.asUintN(64, id), offset);
    return;
  }
  if (id.length !== 8) throw new RangeError(`connection id must be 8 bytes, got ${id.length}`);
  out.set(id, offset);
}

function writeI64(out: Buffer, offset: number, value: bigint | number | undefined): void {
  out.writeBigInt64BE(BigInt.asIntN(64, BigInt(value ?? 0)), offset);
}

function checkLength(name: string, bytes: Uint8Array, size: number): void {
  if (bytes.length !== size) throw new RangeError(`${name} must be ${size} bytes, got ${bytes.length}`);
}

/** Connect request (16 bytes): magic, action 0, transaction id. */
export function encodeConnectRequest(transactionId: number): Buffer {
  const out = Buffer.alloc(CONNECT_REQUEST_SIZE);
  out.writeBigUInt64BE(PROTOCOL_ID, 0);
  out.writeInt32BE(ACTION_CONNECT, 8);
  out.writeInt32BE(transactionId | 0, OFFSET_TRANSACTION_ID);
  return out;
}

/** Announce request (98 bytes). */
export function encodeAnnounceRequest(p: AnnounceRequestParams): Buffer {
  checkLength('info hash', p.infoHash, INFO_HASH_SIZE);
  checkLength('peer id', p.peerId, PEER_ID_SIZE);
  if (!Number.isInteger(p.port) || p.port < 0 || p.port > 0xffff) throw new RangeError(`port out of range: ${p.port}`);
  const out = Buffer.alloc(ANNOUNCE_REQUEST_SIZE);
  writeConnectionId(out, 0, p.connectionId);
  out.writeInt32BE(ACTION_ANNOUNCE, 8);
  out.writeInt32BE(p.transactionId | 0, OFFSET_TRANSACTION_ID);
  out.set(p.infoHash, OFFSET_INFO_HASH);
  out.set(p.peerId, OFFSET_PEER_ID);
  writeI64(out, OFFSET_DOWNLOADED, p.downloaded);
  writeI64(out, OFFSET_LEFT, p.left);
  writeI64(out, OFFSET_UPLOADED, p.uploaded);
  out.writeInt32BE((p.event ?? EVENT_NONE) | 0, OFFSET_EVENT);
  const ip = p.ipAddress ?? 0;
  if (typeof ip === 'number') {
    out.writeInt32BE(ip | 0, OFFSET_IP_ADDRESS);
  } else {
    checkLength('ip address', ip, 4);
    out.set(ip, OFFSET_IP_ADDRESS);
  }
  out.writeInt32BE((p.key ?? 0) | 0, OFFSET_KEY);
  out.writeInt32BE((p.numWant ?? -1) | 0, OFFSET_NUM_WANT);
  out.writeUInt16BE(p.port, OFFSET_PORT);
  return out;
}

/** Scrape request: header + 20 bytes per info hash (none or more than 74 are encoded as given). */
export function encodeScrapeRequest(
  connectionId: ConnectionIdInput,
  transactionId: number,
  infoHashes: readonly Uint8Array[],
): Buffer {
  const out = Buffer.alloc(SCRAPE_REQUEST_HEADER_SIZE + INFO_HASH_SIZE * infoHashes.length);
  writeConnectionId(out, 0, connectionId);
  out.writeInt32BE(ACTION_SCRAPE, 8);
  out.writeInt32BE(transactionId | 0, OFFSET_TRANSACTION_ID);
  infoHashes.forEach((h, i) => {
    checkLength('info hash', h, INFO_HASH_SIZE);
    out.set(h, SCRAPE_REQUEST_HEADER_SIZE + i * INFO_HASH_SIZE);
  });
  return out;
}

export interface ConnectResponse {
  action: typeof ACTION_CONNECT;
  transactionId: number;
  /** The 8 wire bytes (send them back unchanged). */
  connectionId: Buffer;
  /** The same as a signed i64, as Torrust's client prints it. */
  connectionIdValue: bigint;
}

export interface ResponsePeer {
  /** 4 or 16 address bytes. */
  address: Buffer;
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  ip: string;
  port: number;
}

export interface AnnounceResponse {
  action: typeof ACTION_ANNOUNCE;
  transactionId: number;
  interval: number;
  leechers: number;
  seeders: number;
  /** 6 (IPv4 entries) or 18 (IPv6 entries), as requested from `decodeResponse`. */
  peerSize: 6 | 18;
  peers: ResponsePeer[];
}

export interface ScrapeStats {
  seeders: number;
  completed: number;
  leechers: number;
}

export interface ScrapeResponse {
  action: typeof ACTION_SCRAPE;
  transactionId: number;
  torrentStats: ScrapeStats[];
}

export interface ErrorResponse {
  action: typeof ACTION_ERROR;
  transactionId: number;
  /** The message bytes as UTF-8 (invalid sequences replaced). */
  message: string;
}

export type Bep15Response = ConnectResponse | AnnounceResponse | ScrapeResponse | ErrorResponse;

export type ResponseDecodeErrorCode = 'too-short' | 'bad-length' | 'unknown-action';

/** Why a datagram is not a well-formed tracker response. */
export interface ResponseDecodeError {
  code: ResponseDecodeErrorCode;
  message: string;
}

export type ResponseDecodeResult = { ok: true; response: Bep15Response } | { ok: false; error: ResponseDecodeError };

function fail(code: ResponseDecodeErrorCode, message: string): ResponseDecodeResult {
  return { ok: false, error: { code, message } };
}

/**
 * Decodes a tracker response. `peerSize` says how to split announce peers: 6 for a request sent
 * over IPv4, 18 over IPv6 (BEP 15 carries no format marker). Bytes after a connect response's
 * 16 are ignored; announce and scrape bodies must be whole entries.
 */
export function decodeResponse(packet: Uint8Array, peerSize: 6 | 18 = PEER_V4_SIZE): ResponseDecodeResult {
  const p = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  if (p.length < 8) return fail('too-short', `response too short: ${p.length} bytes`);
  const action = p.readInt32BE(0);
  const transactionId = p.readInt32BE(4);
  switch (action) {
    case ACTION_CONNECT: {
      if (p.length < CONNECT_RESPONSE_SIZE) return fail('too-short', `connect response too short: ${p.length} bytes`);
      const connectionId = Buffer.from(p.subarray(8, 16));
      return {
        ok: true,
        response: { action, transactionId, connectionId, connectionIdValue: connectionId.readBigInt64BE(0) },
      };
    }
    case ACTION_ANNOUNCE: {
      if (p.length < ANNOUNCE_RESPONSE_HEADER_SIZE) {
        return fail('too-short', `announce response too short: ${p.length} bytes`);
      }
      const body = p.length - ANNOUNCE_RESPONSE_HEADER_SIZE;
      if (body % peerSize !== 0) {
        return fail('bad-length', `announce peer bytes (${body}) not a multiple of ${peerSize}`);
      }
      const addrSize = peerSize - 2;
      const peers: ResponsePeer[] = [];
      for (let o = ANNOUNCE_RESPONSE_HEADER_SIZE; o < p.length; o += peerSize) {
        const address = Buffer.from(p.subarray(o, o + addrSize));
        peers.push({
          address,
          ip: peerSize === PEER_V6_SIZE ? formatIPv6(address) : formatIPv4(address),
          port: p.readUInt16BE(o + addrSize),
        });
      }
      return {
        ok: true,
        response: {
          action,
          transactionId,
          interval: p.readInt32BE(8),
          leechers: p.readInt32BE(12),
          seeders: p.readInt32BE(16),
          peerSize,
          peers,
        },
      };
    }
    case ACTION_SCRAPE: {
      const body = p.length - SCRAPE_RESPONSE_HEADER_SIZE;
      if (body % SCRAPE_RESPONSE_ENTRY_SIZE !== 0) {
        return fail('bad-length', `scrape entry bytes (${body}) not a multiple of ${SCRAPE_RESPONSE_ENTRY_SIZE}`);
      }
      const torrentStats: ScrapeStats[] = [];
      for (let o = SCRAPE_RESPONSE_HEADER_SIZE; o < p.length; o += SCRAPE_RESPONSE_ENTRY_SIZE) {
        torrentStats.push({
          seeders: p.readInt32BE(o),
          completed: p.readInt32BE(o + 4),
          leechers: p.readInt32BE(o + 8),
        });
      }
      return { ok: true, response: { action, transactionId, torrentStats } };
    }
    case ACTION_ERROR:
      return {
        ok: true,
        response: { action, transactionId, message: p.toString('utf8', ERROR_RESPONSE_HEADER_SIZE) },
      };
    default:
      return fail('unknown-action', `unknown action ${action}`);
  }
}
