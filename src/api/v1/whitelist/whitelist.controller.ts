/**
 * The whitelist of listed mode, as Torrust serves it: add and remove one info hash
 * (idempotent, in every mode; the Torrust Index whitelists each uploaded torrent), and reload
 * the in-memory list from the database. The database is written first: a failure answers 500
 * and leaves memory as it was.
 */
import { Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { WhitelistService } from '../../../whitelist/whitelist.service.js';
import { ApiTorrustFailures, AuthenticatedApiController } from '../common/api-controller.decorators.js';
import { OK, OkResponseDto } from '../common/ok-response.dto.js';
import { FailureReason } from '../common/torrust-response.interceptor.js';
import { pathParams } from '../common/validation.js';
import { InfoHashParamDto } from '../torrents/dto/torrent.dto.js';

const INVALID_INFO_HASH = {
  'invalid info hash': 'Invalid URL: invalid infohash param: string "reload", expected a 40 character long string',
};

@AuthenticatedApiController('whitelist')
export class WhitelistController {
  constructor(private readonly whitelist: WhitelistService) {}

  @Post('whitelist/:info_hash')
  @HttpCode(200)
  @FailureReason('failed to whitelist torrent')
  @ApiOperation({ summary: 'Whitelist a torrent (idempotent).' })
  @ApiOkResponse({ type: OkResponseDto })
  @ApiTorrustFailures({ reason: 'failed to whitelist torrent', badRequest: INVALID_INFO_HASH })
  async add(@Param(pathParams) params: InfoHashParamDto): Promise<OkResponseDto> {
    await this.whitelist.add(params.info_hash);
    return OK;
  }

  @Delete('whitelist/:info_hash')
  @FailureReason('failed to remove torrent from whitelist')
  @ApiOperation({ summary: 'Remove a torrent from the whitelist (idempotent).' })
  @ApiOkResponse({ type: OkResponseDto })
  @ApiTorrustFailures({ reason: 'failed to remove torrent from whitelist', badRequest: INVALID_INFO_HASH })
  async remove(@Param(pathParams) params: InfoHashParamDto): Promise<OkResponseDto> {
    await this.whitelist.remove(params.info_hash);
    return OK;
  }

  @Get('whitelist/reload')
  @FailureReason('failed to reload whitelist')
  @ApiOperation({ summary: 'Replace the in-memory whitelist with the database contents.' })
  @ApiOkResponse({ type: OkResponseDto })
  @ApiTorrustFailures({ reason: 'failed to reload whitelist' })
  async reload(): Promise<OkResponseDto> {
    await this.whitelist.reload();
    return OK;
  }
}
