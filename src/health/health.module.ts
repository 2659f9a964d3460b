/**
 * HealthModule: Kubernetes probes with Terminus on the API listener (`/health/live`,
 * `/health/ready`), the Torrust health check API on its own listener, and the drain state a
 * graceful shutdown sets first.
 */
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DrainState } from './drain-state.js';
import { EventLoopMonitor } from './event-loop-monitor.js';
import { HealthCheckApiServer } from './health-check-api.server.js';
import { HealthController } from './health.controller.js';
import { TrackerHealthIndicators } from './tracker.health.js';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DrainState, EventLoopMonitor, TrackerHealthIndicators, HealthCheckApiServer],
  exports: [DrainState, HealthCheckApiServer],
})
export class HealthModule {}
