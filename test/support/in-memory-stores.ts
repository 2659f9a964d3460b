/**
 * In-memory implementations of the three persistence ports (AuthKeyStore, WhitelistStore,
 * DownloadsStore) for unit tests of services. They obey the ports' obligations (and pass
 * store-conformance.ts), and each can be told to fail its next call, to test that a failed
 * write changes nothing: `store.failNextCall()` makes the next method reject and store nothing.
 */
import { type AuthKeyRecord, type AuthKeyStore } from '../../src/auth-keys/auth-key.store.js';
import { type DownloadsEntry, type DownloadsStore } from '../../src/downloads/downloads.store.js';
import { type WhitelistStore } from '../../src/whitelist/whitelist.store.js';

/** The default error of `failNextCall()`, worded like a database failure. */
export class InjectedStoreFailure extends Error {
  override readonly name = 'InjectedStoreFailure';
  constructor(message = 'The in-memory query was malformed: injected failure') {
    super(message);
  }
}

/** The failure switch shared by the three fakes. */
abstract class FailableStore {
  private pendingFailures: Error[] = [];
  /** Number of port methods called so far (failed calls included). */
  calls = 0;

  /** Makes the next call (any method) reject with `error`; queue several for several calls. */
  failNextCall(error: Error = new InjectedStoreFailure()): void {
    this.pendingFailures.push(error);
  }

  /** Counts the call and throws the queued failure, if any. Call first in every method. */
  protected enter(): void {
    this.calls += 1;
    const failure = this.pendingFailures.shift();
    if (failure !== undefined) throw failure;
  }
}

export class InMemoryAuthKeyStore extends FailableStore implements AuthKeyStore {
  private readonly keys = new Map<string, number | null>();

  constructor(initial: readonly AuthKeyRecord[] = []) {
    super();
    for (const record of initial) this.keys.set(record.key, record.validUntil);
  }

  async loadAll(): Promise<AuthKeyRecord[]> {
    this.enter();
    return [...this.keys].map(([key, validUntil]) => ({ key, validUntil }));
  }

  async add(record: AuthKeyRecord): Promise<void> {
    this.enter();
    if (this.keys.has(record.key)) {
      throw new Error('The in-memory query was malformed: UNIQUE constraint failed: keys.key');
    }
    this.keys.set(record.key, record.validUntil);
  }

  async remove(key: string): Promise<boolean> {
    this.enter();
    return this.keys.delete(key);
  }
}

export class InMemoryWhitelistStore extends FailableStore implements WhitelistStore {
  private readonly infoHashes = new Set<string>();

  constructor(initial: readonly string[] = []) {
    super();
    for (const infoHashHex of initial) this.infoHashes.add(infoHashHex);
  }

  async loadAll(): Promise<string[]> {
    this.enter();
    return [...this.infoHashes];
  }

  async has(infoHashHex: string): Promise<boolean> {
    this.enter();
    return this.infoHashes.has(infoHashHex);
  }

  async add(infoHashHex: string): Promise<void> {
    this.enter();
    this.infoHashes.add(infoHashHex);
  }

  async remove(infoHashHex: string): Promise<boolean> {
    this.enter();
    return this.infoHashes.delete(infoHashHex);
  }
}

export class InMemoryDownloadsStore extends FailableStore implements DownloadsStore {
  private readonly completed = new Map<string, number>();

  constructor(initial: readonly DownloadsEntry[] = []) {
    super();
    for (const entry of initial) this.completed.set(entry.infoHashHex, entry.completed);
  }

  async loadAll(): Promise<DownloadsEntry[]> {
    this.enter();
    return [...this.completed].map(([infoHashHex, completed]) => ({ infoHashHex, completed }));
  }

  async saveMany(entries: readonly DownloadsEntry[]): Promise<void> {
    this.enter();
    // All or nothing, like the database's transaction: check every entry before changing any.
    for (const entry of entries) {
      if (typeof entry.infoHashHex !== 'string' || !Number.isSafeInteger(entry.completed)) {
        throw new Error(`The in-memory query was malformed: invalid torrents row ${JSON.stringify(entry)}`);
      }
    }
    for (const entry of entries) this.completed.set(entry.infoHashHex, entry.completed);
  }
}
