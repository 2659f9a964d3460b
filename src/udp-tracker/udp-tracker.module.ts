/**
 * UdpTrackerModule: builds one UdpTrackerServer (a Nest custom transport) per
 * `[[udp_trackers]]` block, sharing the connection-cookie key and the ban list, and resets the
 * bans every `ip_bans_reset_interval_in_secs`. In private mode no UDP listener is started (UDP
 * has no keys), with a warning, as Torrust does. main/app attach the servers with
 * `connectMicroservice`.
 */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { CoreConfig, UdpTrackerConfig, UdpTrackerServerConfig } from '../config/configuration.js';
import { CORE_CONFIG, UDP_TRACKERS_CONFIG, UDP_TRACKER_SERVER_CONFIG } from '../config/config.tokens.js';
import { TrackerCore } from '../core/domain/tracker.js';
import type { ForwardedPeers } from '../forwarding/forwarded-peers.js';
import { FORWARDED_PEERS, ForwardingModule } from '../forwarding/forwarding.module.js';
import { BoundListeners } from '../listeners/bound-listeners.js';
import { HANDLER_COUNTERS } from '../stats/stats.module.js';
import { ListenerMetricsRegistry } from '../stats/listener-metrics.js';
import { UdpBanGauge } from '../stats/udp-ban-gauge.js';
import type { TrackerCounters } from '../stats/tracker-counters.js';
import { ConnectionCookies } from './connection-cookie.js';
import { IpBans } from './ip-bans.js';
import { UdpPacketHandler } from './udp-packet.handler.js';
import { UdpTrackerServer } from './udp-tracker.server.js';

@Injectable()
export class UdpTrackerServers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('UDP TRACKER');
  readonly bans: IpBans;
  readonly servers: readonly UdpTrackerServer[];
  private resetTimer: NodeJS.Timeout | null = null;

  constructor(
    core: TrackerCore,
    @Inject(CORE_CONFIG) coreConfig: CoreConfig,
    @Inject(UDP_TRACKERS_CONFIG) trackers: readonly UdpTrackerConfig[],
    @Inject(UDP_TRACKER_SERVER_CONFIG) private readonly settings: UdpTrackerServerConfig,
    @Inject(HANDLER_COUNTERS) counters: TrackerCounters,
    listeners: BoundListeners,
    metrics: ListenerMetricsRegistry,
    banGauge: UdpBanGauge,
    @Inject(FORWARDED_PEERS) forwarding: ForwardedPeers | null,
  ) {
    this.bans = new IpBans(settings.maxConnectionIdErrorsPerIp);
    banGauge.attach(this.bans);
    if (coreConfig.private) {
      for (const t of trackers) {
        this.log.warn(
          `Could not start UDP tracker on: udp://${t.bindAddress.text} while in private mode. UDP is not safe for private trackers!`,
        );
      }
      this.servers = [];
      return;
    }
    const secret = settings.connectionIdSecret || randomBytes(16).toString('hex');
    this.servers = trackers.map((t) => {
      const listenerMetrics = metrics.create('udp');
      const cookies = new ConnectionCookies(secret, t.cookieLifetime);
      const handler = new UdpPacketHandler(core, cookies, this.bans, counters, listenerMetrics, forwarding);
      return new UdpTrackerServer(t, handler, counters, listeners, listenerMetrics);
    });
  }

  onApplicationBootstrap(): void {
    if (this.servers.length === 0) return;
    this.resetTimer = setInterval(() => this.bans.reset(), this.settings.ipBansResetIntervalInSecs * 1000);
    this.resetTimer.unref();
  }

  /** Stops the listeners first at shutdown, before counts are flushed and the database closes. */
  async onModuleDestroy(): Promise<void> {
    if (this.resetTimer) clearInterval(this.resetTimer);
    await Promise.all(this.servers.map((s) => s.close()));
  }
}

@Module({
  imports: [ForwardingModule],
  providers: [UdpTrackerServers],
  exports: [UdpTrackerServers],
})
export class UdpTrackerModule {}
