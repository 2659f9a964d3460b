/**
 * WhitelistService owns the in-memory set of whitelisted info hashes used in listed mode and
 * keeps it in step with the `whitelist` table: database first, memory second, so a failed
 * write changes nothing. Loaded at startup only in listed mode, as Torrust does.
 */
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { CoreConfig } from '../config/configuration.js';
import { CORE_CONFIG } from '../config/config.tokens.js';
import type { WhitelistQuery } from '../core/domain/ports.js';
import { WHITELIST_STORE, type WhitelistStore } from './whitelist.store.js';
import { hexOf } from '../shared/hex.js';

@Injectable()
export class WhitelistService implements WhitelistQuery, OnModuleInit {
  private readonly logger = new Logger(WhitelistService.name);
  private hashes = new Set<string>();

  constructor(
    @Inject(WHITELIST_STORE) private readonly store: WhitelistStore,
    @Inject(CORE_CONFIG) private readonly core: CoreConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.core.listed) await this.reload();
  }

  isWhitelisted(infoHash: Uint8Array, offset: number): boolean {
    return this.hashes.has(hexOf(infoHash, offset));
  }

  has(infoHashHex: string): boolean {
    return this.hashes.has(infoHashHex.toLowerCase());
  }

  get size(): number {
    return this.hashes.size;
  }

  /** Whitelists a torrent (idempotent). `infoHashHex` must be 40 hex characters. */
  async add(infoHashHex: string): Promise<void> {
    const hex = infoHashHex.toLowerCase();
    if (!(await this.store.has(hex))) await this.store.add(hex);
    this.hashes.add(hex);
  }

  /** Removes a torrent from the whitelist (idempotent). */
  async remove(infoHashHex: string): Promise<void> {
    const hex = infoHashHex.toLowerCase();
    await this.store.remove(hex);
    this.hashes.delete(hex);
  }

  /** Replaces the in-memory whitelist with the database's. */
  async reload(): Promise<void> {
    const rows = await this.store.loadAll();
    const valid = rows.map((h) => h.toLowerCase()).filter((h) => /^[0-9a-f]{40}$/.test(h));
    if (valid.length < rows.length) {
      this.logger.warn(
        `Skipped ${rows.length - valid.length} malformed rows of table whitelist (not 40 hex characters)`,
      );
    }
    this.hashes = new Set(valid);
  }
}
