/**
 * The JSON shapes Torrust's UDP client prints (`SerializableResponse`): the response wrapped in
 * an object whose one key names its kind (`Connect`, `AnnounceIpv4`, `AnnounceIpv6`, `Scrape`,
 * `Error`), inner keys in Torrust's order, peers as `"ip:port"` text (IPv6 without brackets).
 */
import { ACTION_ANNOUNCE, ACTION_CONNECT, ACTION_SCRAPE, type Bep15Response } from '../../protocol/bep15/index.js';

export interface SerializableConnect {
  transaction_id: number;
  /** i64, printed as a JSON number. */
  connection_id: bigint;
}

export interface SerializableAnnounce {
  transaction_id: number;
  announce_interval: number;
  leechers: number;
  seeders: number;
  peers: string[];
}

export interface SerializableScrape {
  transaction_id: number;
  torrent_stats: { seeders: number; completed: number; leechers: number }[];
}

export interface SerializableError {
  transaction_id: number;
  message: string;
}

export type SerializableUdpResponse =
  | { Connect: SerializableConnect }
  | { AnnounceIpv4: SerializableAnnounce }
  | { AnnounceIpv6: SerializableAnnounce }
  | { Scrape: SerializableScrape }
  | { Error: SerializableError };

export function serializableUdpResponse(response: Bep15Response): SerializableUdpResponse {
  switch (response.action) {
    case ACTION_CONNECT:
      return {
        Connect: { transaction_id: response.transactionId, connection_id: response.connectionIdValue },
      };
    case ACTION_ANNOUNCE: {
      const inner: SerializableAnnounce = {
        transaction_id: response.transactionId,
        announce_interval: response.interval,
        leechers: response.leechers,
        seeders: response.seeders,
        // Rust's `format!("{}:{}", ip, port)`: no brackets around an IPv6 address.
        peers: response.peers.map((p) => `${p.ip}:${p.port}`),
      };
      return response.peerSize === 18 ? { AnnounceIpv6: inner } : { AnnounceIpv4: inner };
    }
    case ACTION_SCRAPE:
      return {
        Scrape: {
          transaction_id: response.transactionId,
          torrent_stats: response.torrentStats.map((s) => ({
            seeders: s.seeders,
            completed: s.completed,
            leechers: s.leechers,
          })),
        },
      };
    default:
      return { Error: { transaction_id: response.transactionId, message: response.message } };
  }
}
