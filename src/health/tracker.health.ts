/**
 * Terminus health indicators of the tracker: the event loop (liveness); the database, the
 * listeners and the drain state (readiness).
 */
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Configuration } from '../config/configuration.js';
import { CONFIGURATION } from '../config/config.tokens.js';
import { BoundListeners } from '../listeners/bound-listeners.js';
import { DatabaseService } from '../persistence/database/database.service.js';
import { DrainState } from './drain-state.js';
import { EventLoopMonitor, LIVENESS_MAX_EVENT_LOOP_DELAY_MS } from './event-loop-monitor.js';

const DATABASE_TIMEOUT_MS = 2_000;

@Injectable()
export class TrackerHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly db: DatabaseService,
    private readonly listeners: BoundListeners,
    private readonly drain: DrainState,
    private readonly loop: EventLoopMonitor,
    @Inject(CONFIGURATION) private readonly config: Configuration,
  ) {}

  eventLoop(): HealthIndicatorResult {
    const session = this.health.check('event_loop');
    const delay = Math.round(this.loop.maxDelayMs);
    const data = { max_delay_ms: delay, limit_ms: LIVENESS_MAX_EVENT_LOOP_DELAY_MS };
    return delay > LIVENESS_MAX_EVENT_LOOP_DELAY_MS ? session.down(data) : session.up(data);
  }

  async database(): Promise<HealthIndicatorResult> {
    const session = this.health.check('database');
    try {
      await Promise.race([
        this.db.ping(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('no answer within 2 s')), DATABASE_TIMEOUT_MS).unref(),
        ),
      ]);
      return session.up({ driver: this.db.driverName });
    } catch (err) {
      return session.down({ driver: this.db.driverName, message: (err as Error).message });
    }
  }

  listenersBound(): HealthIndicatorResult {
    const session = this.health.check('listeners');
    const expected = {
      udp: this.config.core.private ? 0 : this.config.udpTrackers.length,
      http: this.config.httpTrackers.length,
      api: this.config.httpApi ? 1 : 0,
    };
    const running = {
      udp: this.listeners.running('udp').length,
      http: this.listeners.running('http').length,
      api: this.listeners.running('api').length,
    };
    const ok = running.udp >= expected.udp && running.http >= expected.http && running.api >= expected.api;
    return ok ? session.up({ expected, running }) : session.down({ expected, running });
  }

  notDraining(): HealthIndicatorResult {
    const session = this.health.check('drain');
    return this.drain.draining ? session.down({ message: 'shutting down' }) : session.up();
  }
}
