/**
 * BEP 15 (UDP tracker protocol) wire constants: the connect magic, action and event codes, packet
 * sizes and field offsets. All integers on the wire are big-endian; i32/i64 are two's complement.
 * Source: https://www.bittorrent.org/beps/bep_0015.html, and Torrust's/aquatic's limits where noted.
 */
import {
  ANNOUNCE_EVENT_COMPLETED,
  ANNOUNCE_EVENT_NONE,
  ANNOUNCE_EVENT_STARTED,
  ANNOUNCE_EVENT_STOPPED,
} from '../announce-event.js';

/** The connect request magic `0x41727101980` (BEP 15), as a bigint. */
export const PROTOCOL_ID = 0x41727101980n;
/** The magic as its 8 wire bytes (BEP 15). Do not modify. */
export const PROTOCOL_ID_BYTES: Readonly<Buffer> = Buffer.from('0000041727101980', 'hex');
/** High 32 bits of the magic, as read by `readInt32BE(0)` (BEP 15). */
export const PROTOCOL_ID_HIGH = 0x417;
/** Low 32 bits of the magic, as read by `readInt32BE(4)` (BEP 15). */
export const PROTOCOL_ID_LOW = 0x27101980;

/** BEP 15: connect. */
export const ACTION_CONNECT = 0;
/** BEP 15: announce. */
export const ACTION_ANNOUNCE = 1;
/** BEP 15: scrape. */
export const ACTION_SCRAPE = 2;
/** BEP 15: error (response only; a request with this action is `Invalid action`). */
export const ACTION_ERROR = 3;

/** BEP 15 announce events (0 none, 1 completed, 2 started, 3 stopped). */
export const EVENT_NONE = ANNOUNCE_EVENT_NONE;
export const EVENT_COMPLETED = ANNOUNCE_EVENT_COMPLETED;
export const EVENT_STARTED = ANNOUNCE_EVENT_STARTED;
export const EVENT_STOPPED = ANNOUNCE_EVENT_STOPPED;

/** Torrust/aquatic: at most 74 info hashes per scrape; more are silently dropped. */
export const MAX_SCRAPE_TORRENTS = 74;
/** Torrust's receive buffer: longer datagrams are cut to this (1496 = 16 + 74 × 20). */
export const MAX_PACKET_SIZE = 1496;

export const INFO_HASH_SIZE = 20;
export const PEER_ID_SIZE = 20;
export const CONNECTION_ID_SIZE = 8;

/** Request sizes (BEP 15). */
export const CONNECT_REQUEST_SIZE = 16;
export const ANNOUNCE_REQUEST_SIZE = 98;
export const SCRAPE_REQUEST_HEADER_SIZE = 16;
/** Bytes needed to read the action (BEP 15: connection id 8 + action 4). */
export const MIN_REQUEST_SIZE = 12;

/** Response sizes (BEP 15). */
export const CONNECT_RESPONSE_SIZE = 16;
export const ANNOUNCE_RESPONSE_HEADER_SIZE = 20;
export const SCRAPE_RESPONSE_HEADER_SIZE = 8;
export const SCRAPE_RESPONSE_ENTRY_SIZE = 12;
export const ERROR_RESPONSE_HEADER_SIZE = 8;
/** BEP 15: 4-byte IPv4 address + 2-byte port. */
export const PEER_V4_SIZE = 6;
/** BEP 15 (IPv6 extension as Torrust/aquatic answer IPv6 clients): 16-byte address + 2-byte port. */
export const PEER_V6_SIZE = 18;

/** Request field offsets (BEP 15). */
export const OFFSET_CONNECTION_ID = 0;
export const OFFSET_PROTOCOL_ID = 0;
export const OFFSET_ACTION = 8;
export const OFFSET_TRANSACTION_ID = 12;
export const OFFSET_INFO_HASH = 16;
export const OFFSET_PEER_ID = 36;
export const OFFSET_DOWNLOADED = 56;
export const OFFSET_LEFT = 64;
export const OFFSET_UPLOADED = 72;
export const OFFSET_EVENT = 80;
export const OFFSET_IP_ADDRESS = 84;
export const OFFSET_KEY = 88;
export const OFFSET_NUM_WANT = 92;
export const OFFSET_PORT = 96;
/** Scrape: first info hash (each further one 20 bytes later). */
export const OFFSET_SCRAPE_INFO_HASHES = 16;

/** Largest i32, the clamp for counts and intervals written to the wire. */
export const I32_MAX = 0x7fffffff;
