/**
 * Port: where authentication keys are kept (table `keys`). Implemented by
 * persistence/database (TypeORM, SQLite and MySQL) and by an in-memory fake for unit tests;
 * both pass the same conformance suite (test/support/store-conformance.ts).
 *
 * Obligations of every implementation:
 * - `add` fails (rejects) when the key already exists, and then stores nothing.
 * - `remove` reports whether a row was deleted; removing an unknown key is not an error.
 * - `validUntil` is whole Unix seconds, or null for a permanent key; old Torrust databases
 *   whose column is NOT NULL must still load (read a negative value as its absolute value).
 * - Failures reject with an Error whose message is safe to show an operator (no password).
 */
export interface AuthKeyRecord {
  readonly key: string;
  /** Unix seconds; null = permanent. */
  readonly validUntil: number | null;
}

export interface AuthKeyStore {
  loadAll(): Promise<AuthKeyRecord[]>;
  add(record: AuthKeyRecord): Promise<void>;
  remove(key: string): Promise<boolean>;
}

export const AUTH_KEY_STORE = Symbol('AuthKeyStore');
