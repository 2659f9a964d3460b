/**
 * Kubernetes probes (Terminus) on the API listener, without a token: `GET /health/live`
 * (the event loop is responsive) and `GET /health/ready` (database reachable, every configured
 * listener bound, not draining). 200 when healthy, 503 otherwise, Terminus's JSON body.
 */
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { TrackerHealthIndicators } from './tracker.health.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: TrackerHealthIndicators,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe: the event loop is responsive' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.eventLoop()]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness probe: database reachable, listeners bound, not draining' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.notDraining(),
      () => this.indicators.listenersBound(),
      () => this.indicators.database(),
    ]);
  }
}
