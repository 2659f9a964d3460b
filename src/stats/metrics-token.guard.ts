/**
 * Guards `GET /metrics` with the API's token check only when `[http_api]
 * metrics_require_token = true`; otherwise Prometheus scrapes without a token.
 */
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ApiTokenGuard } from '../api/v1/common/api-token.guard.js';
import type { HttpApiConfig } from '../config/configuration.js';
import { HTTP_API_CONFIG } from '../config/config.tokens.js';

@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly required: boolean;
  private readonly tokens: ApiTokenGuard;

  // The metrics controller lives in @willsoto/nestjs-prometheus's module: only global
  // providers (the configuration) can be injected here.
  constructor(@Inject(HTTP_API_CONFIG) config: HttpApiConfig | null) {
    this.required = config?.metricsRequireToken ?? false;
    this.tokens = new ApiTokenGuard(config);
  }

  canActivate(context: ExecutionContext): boolean {
    return this.required ? this.tokens.canActivate(context) : true;
  }
}
