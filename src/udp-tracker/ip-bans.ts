/**
 * Bans of UDP clients that keep sending bad connection ids (guessing cookies or spoofing):
 * an IP with more than `maxErrors` cookie errors gets no replies at all until the periodic
 * reset, which clears every count and ban. The table is bounded so a flood of spoofed sources
 * cannot grow it without limit.
 */

/** At most this many distinct IPs are tracked between two resets. */
const MAX_TRACKED_IPS = 1_000_000;

export class IpBans {
  private readonly errors = new Map<string, number>();
  private readonly banned = new Set<string>();

  constructor(private readonly maxErrors: number) {}

  /** True when `ip` is banned (its datagrams are dropped). */
  isBanned(ip: string): boolean {
    return this.banned.size !== 0 && this.banned.has(ip);
  }

  /** Counts one connection-id error; returns true when this error bans the IP. */
  recordError(ip: string): boolean {
    const count = (this.errors.get(ip) ?? 0) + 1;
    if (count === 1 && this.errors.size >= MAX_TRACKED_IPS) return false;
    this.errors.set(ip, count);
    if (count > this.maxErrors && !this.banned.has(ip)) {
      this.banned.add(ip);
      return true;
    }
    return false;
  }

  /** IPs currently tracked with connection-id errors. */
  get trackedIps(): number {
    return this.errors.size;
  }

  get bannedIps(): number {
    return this.banned.size;
  }

  reset(): void {
    this.errors.clear();
    this.banned.clear();
  }
}
