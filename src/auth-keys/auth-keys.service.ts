/**
 * AuthKeysService owns the in-memory key map used by private mode (HTTP `/announce/{key}`)
 * and keeps it in step with the `keys` table: every change is written to the database first
 * and applied to memory only when the write succeeded, so a failed write changes nothing.
 * Keys are loaded at startup only in private mode, as Torrust does; `reload()` re-reads them.
 */
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { CoreConfig } from '../config/configuration.js';
import { CORE_CONFIG } from '../config/config.tokens.js';
import { KeyCheck, type AuthKeyQuery, type Clock } from '../core/domain/ports.js';
import { CLOCK } from '../core/core.tokens.js';
import { assertKeyFormat, expiryFor, generateKey, isExpired, isValidKeyFormat, type AuthKey } from './auth-key.js';
import { AUTH_KEY_STORE, type AuthKeyStore } from './auth-key.store.js';

@Injectable()
export class AuthKeysService implements AuthKeyQuery, OnModuleInit {
  private readonly logger = new Logger(AuthKeysService.name);
  private keys = new Map<string, number | null>();

  constructor(
    @Inject(AUTH_KEY_STORE) private readonly store: AuthKeyStore,
    @Inject(CORE_CONFIG) private readonly core: CoreConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.core.private) await this.reload();
  }

  check(key: string, nowMs: number): KeyCheck {
    const validUntil = this.keys.get(key);
    if (validUntil === undefined) return KeyCheck.Unknown;
    return isExpired(validUntil, nowMs) ? KeyCheck.Expired : KeyCheck.Valid;
  }

  get size(): number {
    return this.keys.size;
  }

  /** Adds `key` (or a generated one when null), valid for `secondsValid` (null = permanent). */
  async add(key: string | null, secondsValid: number | null): Promise<AuthKey> {
    const value = key ?? generateKey();
    assertKeyFormat(value);
    const validUntilMs = expiryFor(this.clock.nowMs(), secondsValid);
    await this.store.add({ key: value, validUntil: validUntilMs === null ? null : Math.floor(validUntilMs / 1000) });
    this.keys.set(value, validUntilMs);
    return { key: value, validUntilMs };
  }

  /** Removes a key from the database, then from memory; reports whether the database had it. */
  async remove(key: string): Promise<boolean> {
    assertKeyFormat(key);
    const existed = await this.store.remove(key);
    this.keys.delete(key);
    return existed;
  }

  /** Replaces the in-memory keys with the database's. */
  async reload(): Promise<void> {
    const rows = await this.store.loadAll();
    const next = new Map<string, number | null>();
    let skipped = 0;
    for (const row of rows) {
      // Torrust panics on a malformed row; a row no client could use is skipped instead.
      if (!isValidKeyFormat(row.key)) skipped++;
      else next.set(row.key, row.validUntil === null ? null : row.validUntil * 1000);
    }
    if (skipped > 0) this.logger.warn(`Skipped ${skipped} malformed rows of table keys (not 32 alphanumerics)`);
    this.keys = next;
  }
}
