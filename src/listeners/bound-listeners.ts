/**
 * BoundListeners: the addresses every listener actually bound (port 0 becomes the ephemeral
 * port), recorded by the UDP/HTTP trackers and the APIs when they start and marked stopped when
 * they close (a stopped listener stays listed, so the health check API reports it as failing).
 * The health check API and the readiness probe read them, and so do the tests.
 */
import { Global, Injectable, Module } from '@nestjs/common';

export type ListenerKind = 'udp' | 'http' | 'api' | 'health';

export interface BoundListener {
  readonly kind: ListenerKind;
  /** The configured `bind_address` text. */
  readonly configured: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** `udp://127.0.0.1:6969`, `https://[::1]:7070` */
  readonly url: string;
  /** Set when the listener has been closed. */
  stopped: boolean;
}

export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

@Injectable()
export class BoundListeners {
  private readonly listeners: BoundListener[] = [];

  add(kind: ListenerKind, configured: string, host: string, port: number, tls = false): BoundListener {
    const scheme = kind === 'udp' ? 'udp' : tls ? 'https' : 'http';
    const listener = {
      kind,
      configured,
      host,
      port,
      tls,
      url: `${scheme}://${hostForUrl(host)}:${port}`,
      stopped: false,
    };
    this.listeners.push(listener);
    return listener;
  }

  markStopped(listener: BoundListener): void {
    listener.stopped = true;
  }

  /** Every listener started so far (stopped ones included), in start order. */
  all(kind?: ListenerKind): readonly BoundListener[] {
    return kind ? this.listeners.filter((l) => l.kind === kind) : [...this.listeners];
  }

  /** Listeners currently running. */
  running(kind?: ListenerKind): readonly BoundListener[] {
    return this.all(kind).filter((l) => !l.stopped);
  }
}

@Global()
@Module({ providers: [BoundListeners], exports: [BoundListeners] })
export class BoundListenersModule {}
