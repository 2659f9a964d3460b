/**
 * HttpTrackerModule: one HttpTrackerServer per `[[http_trackers]]` block, each with its own
 * handler (the handlers reuse scratch buffers, so they are never shared). Listeners start after
 * the application is initialised and stop first at shutdown (onModuleDestroy), before pending
 * counts are flushed and the database is closed.
 */
import { Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import type { CoreConfig, HttpTrackerConfig } from '../config/configuration.js';
import { CORE_CONFIG, HTTP_TRACKERS_CONFIG } from '../config/config.tokens.js';
import { TrackerCore } from '../core/domain/tracker.js';
import type { ForwardedPeers } from '../forwarding/forwarded-peers.js';
import { FORWARDED_PEERS, ForwardingModule } from '../forwarding/forwarding.module.js';
import { BoundListeners } from '../listeners/bound-listeners.js';
import { HANDLER_COUNTERS } from '../stats/stats.module.js';
import { ListenerMetricsRegistry } from '../stats/listener-metrics.js';
import type { TrackerCounters } from '../stats/tracker-counters.js';
import { HttpTrackerHandler } from './http-tracker.handler.js';
import { HttpTrackerServer } from './http-tracker.server.js';

@Injectable()
export class HttpTrackerServers implements OnModuleDestroy {
  readonly servers: readonly HttpTrackerServer[];

  constructor(
    core: TrackerCore,
    @Inject(CORE_CONFIG) coreConfig: CoreConfig,
    @Inject(HTTP_TRACKERS_CONFIG) trackers: readonly HttpTrackerConfig[],
    @Inject(HANDLER_COUNTERS) counters: TrackerCounters,
    listeners: BoundListeners,
    metrics: ListenerMetricsRegistry,
    @Inject(FORWARDED_PEERS) forwarding: ForwardedPeers | null,
  ) {
    this.servers = trackers.map((t) => {
      const listenerMetrics = metrics.create('http');
      const handler = new HttpTrackerHandler(
        core,
        counters,
        coreConfig.net.onReverseProxy,
        listenerMetrics,
        coreConfig.net.reverseProxyHeader,
        forwarding,
      );
      return new HttpTrackerServer(t, handler, listeners, listenerMetrics);
    });
  }

  async listenAll(): Promise<void> {
    for (const server of this.servers) await server.listen();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
  }
}

@Module({
  imports: [ForwardingModule],
  providers: [HttpTrackerServers],
  exports: [HttpTrackerServers],
})
export class HttpTrackerModule {}
