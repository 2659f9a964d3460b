/**
 * BoundListeners: the addresses every listener actually bound (port 0 becomes the ephemeral
 * port), recorded by the UDP/HTTP trackers and the APIs when they start. The health check API
 * probes them and the tests read them back.
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
}

export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

@Injectable()
export class BoundListeners {
  private readonly listeners: BoundListener[] = [];

  add(kind: ListenerKind, configured: string, host: string, port: number, tls = false): BoundListener {
    const scheme = kind === 'udp' ? 'udp' : tls ? 'https' : 'http';
    const listener = { kind, configured, host, port, tls, url: `${scheme}://${hostForUrl(host)}:${port}` };
    this.listeners.push(listener);
    return listener;
  }

  remove(listener: BoundListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  all(kind?: ListenerKind): readonly BoundListener[] {
    return kind ? this.listeners.filter((l) => l.kind === kind) : [...this.listeners];
  }
}

@Global()
@Module({ providers: [BoundListeners], exports: [BoundListeners] })
export class BoundListenersModule {}
