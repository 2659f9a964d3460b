/**
 * `GET /metrics` on the API listener: Prometheus text exposition of the tracker metrics and
 * Node's process metrics. No token by default (scrapers rarely carry one; the API listener is
 * on loopback unless configured otherwise); `[http_api] metrics_require_token = true` makes it
 * require an API token like every `/api/v1` route, with the same error bodies.
 */
import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { ApiExceptionFilter } from '../api/v1/common/api-exception.filter.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

@ApiTags('metrics')
@Controller()
@UseFilters(ApiExceptionFilter)
@UseGuards(MetricsTokenGuard)
export class MetricsController extends PrometheusController {
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiOkResponse({ description: 'Prometheus text format 0.0.4', content: { 'text/plain': {} } })
  override index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    return super.index(response);
  }
}
