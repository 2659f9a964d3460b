/**
 * UdpBanGauge: the UDP ban list's sizes as the stats readers see them (the stats API's
 * `udp_banned_ips_total`, the `tracker_udp_banned_ips` metric), without depending on the UDP
 * tracker: the UDP tracker module hands its ban list in when it is built.
 */
import { Injectable } from '@nestjs/common';

export interface BanListSizes {
  /** IPs with connection-id errors counted since the last reset. */
  readonly trackedIps: number;
  /** IPs banned now. */
  readonly bannedIps: number;
}

@Injectable()
export class UdpBanGauge {
  private source: BanListSizes | null = null;

  attach(source: BanListSizes): void {
    this.source = source;
  }

  get trackedIps(): number {
    return this.source?.trackedIps ?? 0;
  }

  get bannedIps(): number {
    return this.source?.bannedIps ?? 0;
  }
}
