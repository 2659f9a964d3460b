/**
 * ApiListener: binds `[http_api] bind_address` (port 0 = ephemeral; HTTPS when the adapter
 * was created with TLS), records the bound address in BoundListeners (the health check API
 * probes it, tests read it) and logs `API: Started on http://…`, Torrust's exact line.
 */
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpApiConfig } from '../config/configuration.js';
import { HTTP_API_CONFIG } from '../config/config.tokens.js';
import { type BoundListener, BoundListeners } from '../listeners/bound-listeners.js';

@Injectable()
export class ApiListener implements BeforeApplicationShutdown {
  private readonly log = new Logger('API');
  private bound: BoundListener | null = null;

  constructor(
    @Inject(HTTP_API_CONFIG) private readonly config: HttpApiConfig | null,
    private readonly listeners: BoundListeners,
  ) {}

  /** Binds the configured address (port 0 = ephemeral); null when `[http_api]` is absent. */
  async listen(app: NestFastifyApplication): Promise<BoundListener | null> {
    const config = this.config;
    if (config === null) return null;
    const { host, port, text } = config.bindAddress;
    try {
      await app.listen(port, host);
    } catch (err) {
      throw new Error(`API could not bind ${text}: ${(err as Error).message}`);
    }
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('API has no TCP address');
    this.bound = this.listeners.add('api', text, address.address, address.port, config.tls !== null);
    this.log.log(`Started on ${this.bound.url}`);
    return this.bound;
  }

  beforeApplicationShutdown(): void {
    if (this.bound) this.listeners.markStopped(this.bound);
    this.bound = null;
  }
}
