/**
 * Port: the persisted whitelist (table `whitelist`), info hashes as 40-character lowercase hex.
 *
 * Obligations of every implementation:
 * - `add` is idempotent: adding a present hash succeeds and writes nothing.
 * - `remove` is idempotent and reports whether a row was deleted.
 * - Failures reject with an Error whose message is safe to show an operator.
 */
export interface WhitelistStore {
  loadAll(): Promise<string[]>;
  has(infoHashHex: string): Promise<boolean>;
  add(infoHashHex: string): Promise<void>;
  remove(infoHashHex: string): Promise<boolean>;
}

export const WHITELIST_STORE = Symbol('WhitelistStore');
