/**
 * Authentication keys of private mode (`/announce/{key}`), as Torrust serves them:
 * `POST /api/v1/key/{seconds}` (deprecated, used by the Torrust Index: always a generated,
 * expiring key), `POST /api/v1/keys` (given or generated key, expiring or permanent),
 * `DELETE /api/v1/key/{key}` and `GET /api/v1/keys/reload`. Database first, memory second.
 */
import { Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuthKeysService } from '../../../auth-keys/auth-keys.service.js';
import { BadRequest, unhandledRejection } from '../common/api-error.js';
import { ApiTorrustFailures, AuthenticatedApiController } from '../common/api-controller.decorators.js';
import { OK, OkResponseDto } from '../common/ok-response.dto.js';
import { FailureReason, ResponseContentType } from '../common/torrust-response.interceptor.js';
import { jsonBody, JsonBody, pathParams } from '../common/validation.js';
import { AddAuthKeyDto, AuthKeyDto, authKeyDtoOf, AuthKeyParamDto, SecondsValidParamDto } from './dto/auth-key.dto.js';

/** Torrust sends the AuthKey with a charset, unlike its other JSON answers. */
const AUTH_KEY_CONTENT_TYPE = 'application/json; charset=utf-8';

const BAD_KEY = {
  'bad key length': 'Invalid URL: invalid auth key: string "abc", Invalid key length. Key must be have 32 chars',
  'bad key chars':
    'Invalid URL: invalid auth key: string "xqD6NWH9TcKrOCwDmqcdH5hF5RrbL0A!", Invalid chars for key. Key can only alphanumeric chars (0-9, a-z, A-Z)',
  'duration overflow': 'Invalid URL: invalid auth key duration: "18446744073709551615"',
};

@AuthenticatedApiController('auth keys')
export class AuthKeysController {
  constructor(private readonly keys: AuthKeysService) {}

  @Post('key/:seconds_valid')
  @HttpCode(200)
  @ResponseContentType(AUTH_KEY_CONTENT_TYPE)
  @FailureReason('failed to generate key')
  @ApiOperation({ summary: 'Generate a key valid for the given seconds (deprecated; used by the Torrust Index).' })
  @ApiOkResponse({ type: AuthKeyDto, description: 'Always an expiring key: `valid_until` is never null here.' })
  @ApiTorrustFailures({
    reason: 'failed to generate key',
    badRequest: {
      'not a u64': 'Invalid URL: Cannot parse `"abc"` to a `u64`',
      'duration overflow': BAD_KEY['duration overflow'],
    },
  })
  async generate(@Param(pathParams) params: SecondsValidParamDto): Promise<AuthKeyDto> {
    const seconds = Number(params.seconds_valid.replace('+', ''));
    if (!Number.isSafeInteger(seconds)) throw BadRequest.authKeyDuration(params.seconds_valid);
    return authKeyDtoOf(await this.keys.add(null, seconds));
  }

  @Post('keys')
  @HttpCode(200)
  @ResponseContentType(AUTH_KEY_CONTENT_TYPE)
  @FailureReason('failed to generate key')
  @ApiOperation({ summary: 'Add a key: given or generated, expiring or permanent.' })
  @ApiBody({ type: AddAuthKeyDto })
  @ApiOkResponse({ type: AuthKeyDto })
  @ApiTorrustFailures({
    reason: 'failed to generate key',
    badRequest: {
      ...BAD_KEY,
      'invalid JSON': 'Failed to parse the request body as JSON: Unexpected end of JSON input',
    },
    unprocessable: {
      'wrong type':
        'Failed to deserialize the JSON body into the target type: seconds_valid: invalid type: string "-1", expected u64',
    },
    jsonBody: true,
    serverErrors: {
      'duplicate key':
        'Unhandled rejection: Err { reason: "failed to generate key: The Sqlite3 query was malformed: SQLITE_CONSTRAINT: UNIQUE constraint failed: keys.key" }',
    },
  })
  async add(@JsonBody('AddKeyForm', jsonBody) body: AddAuthKeyDto): Promise<AuthKeyDto> {
    return authKeyDtoOf(await this.keys.add(body.key ?? null, body.seconds_valid ?? null));
  }

  @Delete('key/:key')
  @FailureReason('failed to delete key')
  @ApiOperation({ summary: 'Delete a key (500 when the database has no such key, as Torrust on SQLite).' })
  @ApiOkResponse({ type: OkResponseDto })
  @ApiTorrustFailures({
    reason: 'failed to delete key',
    badRequest: { 'invalid key': 'Invalid auth key id param "abc"' },
    serverErrors: {
      'unknown key':
        'Unhandled rejection: Err { reason: "failed to delete key: Failed to remove record from database: the key does not exist" }',
    },
  })
  async remove(@Param(pathParams) params: AuthKeyParamDto): Promise<OkResponseDto> {
    if (!(await this.keys.remove(params.key))) {
      throw unhandledRejection('failed to delete key: Failed to remove record from database: the key does not exist');
    }
    return OK;
  }

  @Get('keys/reload')
  @FailureReason('failed to reload keys')
  @ApiOperation({ summary: 'Replace the in-memory keys with the database contents.' })
  @ApiOkResponse({ type: OkResponseDto })
  @ApiTorrustFailures({ reason: 'failed to reload keys' })
  async reload(): Promise<OkResponseDto> {
    await this.keys.reload();
    return OK;
  }
}
