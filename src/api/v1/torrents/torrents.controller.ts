/**
 * Torrent statistics, as the Torrust Index reads them: `GET /api/v1/torrent/{info_hash}` (one
 * torrent with its peers; 200 `"torrent not known"` when unknown) and `GET /api/v1/torrents`
 * (a page ordered by info hash, or the repeated `info_hash` params in request order).
 */
import { Get, Param, type PipeTransform } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import { BadRequest } from '../common/api-error.js';
import { ApiTorrustFailures, AuthenticatedApiController } from '../common/api-controller.decorators.js';
import { parseU32QueryValue, RawQuery } from '../common/raw-query.js';
import { pathParams } from '../common/validation.js';
import { InfoHashParamDto, TORRENT_NOT_KNOWN, TorrentDto, TorrentListItemDto } from './dto/torrent.dto.js';
import { type TorrentListQuery, TorrentsQuery } from './torrents.query.js';

/** Torrust's default page size. */
export const DEFAULT_TORRENTS_LIMIT = 4000;
const INFO_HASH = /^[0-9a-fA-F]{40}$/;

const INVALID_INFO_HASH = {
  'invalid info hash': 'Invalid URL: invalid infohash param: string "abc", expected a 40 character long string',
};

/** Parses `offset`, `limit` and the repeated `info_hash` of the raw query (first bad value wins). */
export class TorrentListQueryPipe implements PipeTransform<string, TorrentListQuery> {
  transform(rawQuery: string): TorrentListQuery {
    let offset: number | null = null;
    let limit: number | null = null;
    const infoHashes: string[] = [];
    const params = new URLSearchParams(rawQuery);
    for (const [name, value] of params) {
      if (name === 'offset' && offset === null) offset = parseU32QueryValue(value);
      else if (name === 'limit' && limit === null) limit = parseU32QueryValue(value);
    }
    for (const [name, value] of params) {
      if (name !== 'info_hash') continue;
      if (!INFO_HASH.test(value)) throw BadRequest.infoHashParam(value);
      infoHashes.push(value.toLowerCase());
    }
    return { offset: offset ?? 0, limit: limit ?? DEFAULT_TORRENTS_LIMIT, infoHashes };
  }
}

@AuthenticatedApiController('torrents')
@ApiExtraModels(TorrentDto)
export class TorrentsController {
  constructor(private readonly query: TorrentsQuery) {}

  @Get('torrent/:info_hash')
  @ApiOperation({ summary: 'One torrent with every peer.' })
  @ApiOkResponse({
    description: `The torrent, or the JSON string "${TORRENT_NOT_KNOWN}" (still 200) when the tracker does not know it.`,
    schema: { oneOf: [{ $ref: getSchemaPath(TorrentDto) }, { type: 'string', enum: [TORRENT_NOT_KNOWN] }] },
  })
  @ApiTorrustFailures({ badRequest: INVALID_INFO_HASH })
  torrent(@Param(pathParams) params: InfoHashParamDto): TorrentDto | typeof TORRENT_NOT_KNOWN {
    return this.query.torrent(params.info_hash.toLowerCase()) ?? TORRENT_NOT_KNOWN;
  }

  @Get('torrents')
  @ApiOperation({
    summary: 'Torrents ordered by info hash (offset/limit), or the listed info hashes in request order.',
  })
  @ApiQuery({ name: 'offset', required: false, type: 'integer', description: 'Items to skip (default 0).' })
  @ApiQuery({
    name: 'limit',
    required: false,
    type: 'integer',
    description: `Items to return (default ${DEFAULT_TORRENTS_LIMIT}).`,
  })
  @ApiQuery({
    name: 'info_hash',
    required: false,
    isArray: true,
    type: String,
    description: 'Repeatable. When given, paging is ignored and unknown torrents are left out.',
  })
  @ApiOkResponse({ type: [TorrentListItemDto] })
  @ApiTorrustFailures({
    badRequest: {
      ...INVALID_INFO_HASH,
      'bad offset or limit': 'Failed to deserialize query string: invalid digit found in string',
    },
  })
  torrents(@RawQuery(TorrentListQueryPipe) query: TorrentListQuery): TorrentListItemDto[] {
    return this.query.list(query);
  }
}
