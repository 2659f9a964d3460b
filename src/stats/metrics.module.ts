/**
 * MetricsModule: Prometheus metrics with @willsoto/nestjs-prometheus — Node process metrics
 * (prom-client defaults) plus the tracker's own (prometheus.collector.ts) at `GET /metrics`.
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import * as client from 'prom-client';
import { DownloadsModule } from '../downloads/downloads.module.js';
import { ClientErrorSummary } from './client-error-summary.js';
import { MetricsController } from './metrics.controller.js';
import { PrometheusCollector } from './prometheus.collector.js';

@Module({})
export class MetricsModule {
  static forRoot(): DynamicModule {
    // Default metrics are registered once per process (tests start several applications).
    const collecting = client.register.getSingleMetric('process_cpu_user_seconds_total') !== undefined;
    return {
      module: MetricsModule,
      imports: [
        DownloadsModule,
        PrometheusModule.register({
          path: '/metrics',
          defaultMetrics: { enabled: !collecting },
          controller: MetricsController,
        }),
      ],
      providers: [PrometheusCollector, ClientErrorSummary],
      exports: [PrometheusCollector, ClientErrorSummary],
    };
  }
}
