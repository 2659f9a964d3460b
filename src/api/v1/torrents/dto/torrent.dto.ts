/**
 * Bodies of the torrent endpoints, with Torrust's field names and order:
 * `GET /api/v1/torrent/{hash}` → TorrentDto (peers included), `GET /api/v1/torrents` →
 * TorrentListItemDto[] (no `peers` key at all), and the path/query parameters.
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsInfoHashParam } from '../../common/validation.js';

export class InfoHashParamDto {
  @ApiProperty({
    name: 'info_hash',
    description: 'Info hash, 40 hex characters (either case).',
    pattern: '^[0-9a-fA-F]{40}$',
    example: '9c38422213e30bff212b30c360d26f9a02136422',
  })
  @IsInfoHashParam()
  readonly info_hash!: string;
}

export class PeerIdDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: '`0x` + 40 lowercase hex characters.',
    example: '0x2d7142343430302d787878787878787878787878',
  })
  readonly id!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Client name from the peer id, or null when unknown.',
    example: 'qBittorrent',
  })
  readonly client!: string | null;
}

export class PeerDto {
  @ApiProperty({ type: PeerIdDto })
  readonly peer_id!: PeerIdDto;

  @ApiProperty({ description: '`ip:port`, or `[ipv6]:port`.', example: '192.168.1.88:17548' })
  readonly peer_addr!: string;

  @ApiProperty({ type: 'integer', description: 'Last announce, milliseconds since the Unix epoch.' })
  readonly updated!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Same as `updated` (an absolute time despite the name, as in Torrust).',
  })
  readonly updated_milliseconds_ago!: number;

  @ApiProperty({ type: 'integer' })
  readonly uploaded!: number;

  @ApiProperty({ type: 'integer' })
  readonly downloaded!: number;

  @ApiProperty({ type: 'integer' })
  readonly left!: number;

  @ApiProperty({ enum: ['Started', 'Stopped', 'Completed', 'None'], description: 'The last announce event.' })
  readonly event!: string;
}

export class TorrentListItemDto {
  @ApiProperty({ description: 'Lowercase hex.', example: '9c38422213e30bff212b30c360d26f9a02136422' })
  readonly info_hash!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  readonly seeders!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Completed downloads.' })
  readonly completed!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  readonly leechers!: number;
}

export class TorrentDto extends TorrentListItemDto {
  @ApiProperty({ type: [PeerDto], description: 'Every peer, ascending by peer id.' })
  readonly peers!: PeerDto[];
}

/** What `GET /api/v1/torrent/{hash}` answers (200) for a torrent the tracker does not know. */
export const TORRENT_NOT_KNOWN = 'torrent not known';
