/**
 * `GET /api/v1/stats[?format=json|prometheus]`: tracker-wide figures (stats.md), as a JSON
 * object in Torrust's key order or as Prometheus text lines of the same names.
 */
import { Get, type PipeTransform } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import { BadRequest, TEXT_CONTENT_TYPE } from '../common/api-error.js';
import { ApiTorrustFailures, AuthenticatedApiController } from '../common/api-controller.decorators.js';
import { RawQuery } from '../common/raw-query.js';
import { TextBody } from '../common/torrust-response.interceptor.js';
import { StatsDto } from './dto/stats.dto.js';
import { StatsQuery, statsAsPrometheus } from './stats.query.js';

export type StatsFormat = 'json' | 'prometheus';

/** `format` from the raw query: absent = json; anything but json/prometheus is a 400. */
export class StatsFormatPipe implements PipeTransform<string, StatsFormat> {
  transform(rawQuery: string): StatsFormat {
    const format = new URLSearchParams(rawQuery).get('format');
    if (format === null || format === 'json') return 'json';
    if (format === 'prometheus') return 'prometheus';
    throw BadRequest.queryString(`unknown variant \`${format}\`, expected \`json\` or \`prometheus\``);
  }
}

@AuthenticatedApiController('stats')
@ApiExtraModels(StatsDto)
export class StatsController {
  constructor(private readonly query: StatsQuery) {}

  @Get('stats')
  @ApiOperation({ summary: 'Tracker statistics (JSON, or Prometheus text with format=prometheus).' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'prometheus'], description: 'Default json.' })
  @ApiOkResponse({
    description:
      'JSON object (keys in this order), or with format=prometheus one `name value` line per field ' +
      '(booleans as 1/0) joined by `\\n`, without a trailing newline.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(StatsDto) } },
      [TEXT_CONTENT_TYPE]: { schema: { type: 'string' }, example: 'torrents 0\nseeders 0\ncompleted 0\n…' },
    },
  })
  @ApiTorrustFailures({
    badRequest: {
      'unknown format': 'Failed to deserialize query string: unknown variant `xml`, expected `json` or `prometheus`',
    },
  })
  stats(@RawQuery(StatsFormatPipe) format: StatsFormat): StatsDto | TextBody {
    const stats = this.query.stats();
    return format === 'prometheus' ? new TextBody(TEXT_CONTENT_TYPE, statsAsPrometheus(stats)) : stats;
  }
}
