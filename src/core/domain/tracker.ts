/**
 * TrackerCore: the tracker's rules on top of the swarm registry — the four modes (public,
 * listed, private, private_listed) through the whitelist and key ports, the peer limit
 * (`min(numwant, max_peers_per_announce)`), and the loopback → `external_ip` substitution.
 * Synchronous and in memory: the UDP and HTTP handlers call it once per request.
 */
import { KeyCheck, type AuthKeyQuery, type Clock, type WhitelistQuery } from './ports.js';
import type { AnnounceOutcome, SwarmRegistry } from './swarm-registry.js';
import type { AnnounceInput, IpFamily, SwarmMetadata } from './types.js';

export interface TrackerPolicy {
  readonly listed: boolean;
  readonly private: boolean;
  /** `[core.private_mode] check_keys_expiration` (true when the section is absent). */
  readonly checkKeysExpiration: boolean;
  readonly interval: number;
  readonly intervalMin: number;
  readonly maxPeersPerAnnounce: number;
  /** Replaces loopback peer addresses when set. */
  readonly externalIp: { readonly bytes: Uint8Array; readonly family: IpFamily } | null;
}

/** Why an announce is refused; `Admitted` lets it through. */
export const Admission = {
  Admitted: 0,
  KeyMissing: 1,
  KeyUnknown: 2,
  KeyExpired: 3,
  NotWhitelisted: 4,
} as const;
export type Admission = (typeof Admission)[keyof typeof Admission];

export function isLoopback(ip: Uint8Array, offset: number, family: IpFamily): boolean {
  if (family === 4) return ip[offset] === 127;
  for (let i = 0; i < 15; i++) if (ip[offset + i] !== 0) return false;
  return ip[offset + 15] === 1;
}

export class TrackerCore {
  constructor(
    readonly registry: SwarmRegistry,
    readonly policy: TrackerPolicy,
    private readonly clock: Clock,
    private readonly whitelist: WhitelistQuery,
    private readonly keys: AuthKeyQuery,
  ) {}

  now(): number {
    return this.clock.nowMs();
  }

  /**
   * Checks an announce against the mode, in Torrust's order: authentication (private), then
   * authorization (listed). `key` is the `/announce/{key}` path segment, or null.
   */
  admitAnnounce(infoHash: Uint8Array, offset: number, key: string | null): Admission {
    if (this.policy.private) {
      if (key === null) return Admission.KeyMissing;
      const check = this.checkKey(key);
      if (check === KeyCheck.Unknown) return Admission.KeyUnknown;
      if (check === KeyCheck.Expired) return Admission.KeyExpired;
    }
    if (this.policy.listed && !this.whitelist.isWhitelisted(infoHash, offset)) return Admission.NotWhitelisted;
    return Admission.Admitted;
  }

  /** Whether a scrape may see real numbers: in private mode only with a valid key. */
  scrapeAllowed(key: string | null): boolean {
    if (!this.policy.private) return true;
    return key !== null && this.checkKey(key) === KeyCheck.Valid;
  }

  checkKey(key: string): KeyCheck {
    const check = this.keys.check(key, this.clock.nowMs());
    if (check === KeyCheck.Expired && !this.policy.checkKeysExpiration) return KeyCheck.Valid;
    return check;
  }

  isWhitelisted(infoHash: Uint8Array, offset: number): boolean {
    return this.whitelist.isWhitelisted(infoHash, offset);
  }

  /**
   * Applies an admitted announce. A loopback client address becomes `external_ip` when one
   * is configured (the input is changed in place). The outcome is the registry's scratch
   * object, valid until the next announce. With `selectPeers` false only the swarm is updated
   * and counted (the caller selects, e.g. from an answer cache). `nowMs` lets a handler read the
   * clock once per request.
   */
  announce(input: AnnounceInput, selectPeers = true, nowMs = this.clock.nowMs()): AnnounceOutcome {
    const ext = this.policy.externalIp;
    if (ext !== null && isLoopback(input.ip, input.ipOffset, input.family)) {
      input.ip = ext.bytes;
      input.ipOffset = 0;
      input.family = ext.family;
    }
    const wanted = selectPeers ? this.peersWanted(input) : 0;
    return this.registry.announce(input, nowMs, wanted, input.sameFamilyOnly);
  }

  /** How many peers an answer to `input` carries at most: `min(numwant, max_peers_per_announce)`. */
  peersWanted(input: AnnounceInput): number {
    const max = this.policy.maxPeersPerAnnounce;
    return input.peersWanted > 0 && input.peersWanted < max ? input.peersWanted : max;
  }

  /**
   * Metadata of one torrent for a scrape: zeros when `allowed` is false (private mode
   * without a valid key) or, in listed mode, for a torrent that is not whitelisted.
   */
  scrape(infoHash: Uint8Array, offset: number, allowed: boolean, out: SwarmMetadata, nowMs = this.clock.nowMs()): void {
    if (!allowed || (this.policy.listed && !this.whitelist.isWhitelisted(infoHash, offset))) {
      out.complete = 0;
      out.incomplete = 0;
      out.downloaded = 0;
      return;
    }
    this.registry.scrape(infoHash, offset, nowMs, out);
  }
}
