/**
 * Domain vocabulary shared by the core: announce events, peer address families, the
 * announce input the delivery layers fill, and the swarm metadata they read back.
 * Ids are bytes inside the domain; hex appears only at the edges (API, logs).
 */

/** What a peer says happened (BEP 3 `event`). The numbers equal BEP 15's on purpose. */
export const AnnounceEvent = {
  None: 0,
  Completed: 1,
  Started: 2,
  Stopped: 3,
} as const;
export type AnnounceEvent = (typeof AnnounceEvent)[keyof typeof AnnounceEvent];

export const ANNOUNCE_EVENT_NAMES: Readonly<Record<AnnounceEvent, string>> = {
  [AnnounceEvent.None]: 'None',
  [AnnounceEvent.Completed]: 'Completed',
  [AnnounceEvent.Started]: 'Started',
  [AnnounceEvent.Stopped]: 'Stopped',
};

/** 4 = IPv4 (4 address bytes), 6 = IPv6 (16 address bytes). */
export type IpFamily = 4 | 6;

export const INFO_HASH_BYTES = 20;
export const PEER_ID_BYTES = 20;

/**
 * One announce, as the UDP and HTTP handlers hand it to the core. The object is meant to be
 * reused by its owner (one per handler) so that the hot path allocates nothing: byte fields
 * are (buffer, offset) pairs that may point straight into a received datagram.
 */
export interface AnnounceInput {
  infoHash: Uint8Array;
  infoHashOffset: number;
  peerId: Uint8Array;
  peerIdOffset: number;
  /** The client address: 4 bytes for IPv4, 16 for IPv6, at `ipOffset`. */
  ip: Uint8Array;
  ipOffset: number;
  family: IpFamily;
  port: number;
  uploaded: number;
  downloaded: number;
  /** Bytes left to download; `<= 0` makes the peer a seeder. */
  left: number;
  event: AnnounceEvent;
  /** How many peers the client wants (0 = the default maximum). */
  peersWanted: number;
  /** UDP answers only with peers of the requester's family; HTTP with both. */
  sameFamilyOnly: boolean;
}

export function newAnnounceInput(): AnnounceInput {
  return {
    infoHash: new Uint8Array(INFO_HASH_BYTES),
    infoHashOffset: 0,
    peerId: new Uint8Array(PEER_ID_BYTES),
    peerIdOffset: 0,
    ip: new Uint8Array(16),
    ipOffset: 0,
    family: 4,
    port: 0,
    uploaded: 0,
    downloaded: 0,
    left: 0,
    event: AnnounceEvent.None,
    peersWanted: 0,
    sameFamilyOnly: false,
  };
}

/** Seeders (`complete`), leechers (`incomplete`) and completed downloads (`downloaded`). */
export interface SwarmMetadata {
  complete: number;
  incomplete: number;
  downloaded: number;
}

export function newSwarmMetadata(): SwarmMetadata {
  return { complete: 0, incomplete: 0, downloaded: 0 };
}
