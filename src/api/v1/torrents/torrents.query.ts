/**
 * TorrentsQuery: reads swarms for the torrent endpoints without walking the whole registry.
 * One torrent: its metadata and its peers (after expiry, ascending by peer id). A page: a
 * slice of the registry's cached info-hash ordering, metadata per listed torrent only. A list
 * of hashes: one lookup each, in request order (unknown ones left out, duplicates repeated).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../../../core/domain/ports.js';
import { CLOCK } from '../../../core/core.tokens.js';
import { SwarmRegistry } from '../../../core/domain/swarm-registry.js';
import { ANNOUNCE_EVENT_NAMES, newSwarmMetadata } from '../../../core/domain/types.js';
import { formatIp } from '../../../shared/ip.js';
import type { PeerDto, TorrentDto, TorrentListItemDto } from './dto/torrent.dto.js';
import { peerClientName } from './peer-client.js';

export interface TorrentPage {
  readonly offset: number;
  readonly limit: number;
}

/** `GET /api/v1/torrents`: a page, or (when any is given) the listed info hashes, paging ignored. */
export interface TorrentListQuery extends TorrentPage {
  /** Lowercase hex, in request order. */
  readonly infoHashes: readonly string[];
}

@Injectable()
export class TorrentsQuery {
  private readonly metadata = newSwarmMetadata();

  constructor(
    private readonly registry: SwarmRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One torrent with all its peers; null when the tracker does not know it. */
  torrent(infoHashHex: string): TorrentDto | null {
    const r = this.registry;
    const t = r.findTorrent(Buffer.from(infoHashHex, 'hex'), 0);
    if (t < 0) return null;
    const now = this.clock.nowMs();
    const item = this.itemOf(t, now);
    const peers: PeerDto[] = r.peerSlotsOf(t, now).map((slot) => {
      const ip = formatIp(r.peerAddressView(slot), r.peerFamily(slot));
      const peerId = r.peerIdView(slot);
      const updated = r.peerUpdatedMs(slot);
      return {
        peer_id: { id: `0x${Buffer.from(peerId).toString('hex')}`, client: peerClientName(peerId) },
        peer_addr: r.peerFamily(slot) === 6 ? `[${ip}]:${r.peerPort(slot)}` : `${ip}:${r.peerPort(slot)}`,
        updated,
        updated_milliseconds_ago: updated,
        uploaded: r.peerUploaded(slot),
        downloaded: r.peerDownloaded(slot),
        left: r.peerLeft(slot),
        event: ANNOUNCE_EVENT_NAMES[r.peerEvent(slot)],
      };
    });
    return { ...item, peers };
  }

  list(query: TorrentListQuery): TorrentListItemDto[] {
    return query.infoHashes.length > 0 ? this.byInfoHashes(query.infoHashes) : this.page(query);
  }

  /** Torrents in ascending info-hash order: `limit` of them from item `offset` on. */
  page({ offset, limit }: TorrentPage): TorrentListItemDto[] {
    const ids = this.registry.torrentIdsByInfoHash();
    const now = this.clock.nowMs();
    const end = Math.min(ids.length, offset + limit);
    const items: TorrentListItemDto[] = [];
    for (let i = offset; i < end; i++) items.push(this.itemOf(ids[i], now));
    return items;
  }

  /** The known torrents among `infoHashesHex`, in the order given. */
  byInfoHashes(infoHashesHex: readonly string[]): TorrentListItemDto[] {
    const now = this.clock.nowMs();
    const items: TorrentListItemDto[] = [];
    for (const hex of infoHashesHex) {
      const t = this.registry.findTorrent(Buffer.from(hex, 'hex'), 0);
      if (t >= 0) items.push(this.itemOf(t, now));
    }
    return items;
  }

  private itemOf(t: number, now: number): TorrentListItemDto {
    const m = this.metadata;
    this.registry.torrentMetadata(t, now, m);
    return {
      info_hash: Buffer.from(this.registry.infoHashOf(t)).toString('hex'),
      seeders: m.complete,
      completed: m.downloaded,
      leechers: m.incomplete,
    };
  }
}
