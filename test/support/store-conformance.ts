/**
 * Conformance suites for the persistence ports, written once and run against every
 * implementation (in-memory fakes, TypeORM on SQLite, TypeORM on MySQL/MariaDB), after chihaya's
 * storage/storage_tests.go. Each suite takes a factory that must return an EMPTY store; it is
 * called once per test, inside the test, so it may rely on state prepared in `before` hooks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type AuthKeyRecord, type AuthKeyStore } from '../../src/auth-keys/auth-key.store.js';
import { type DownloadsEntry, type DownloadsStore } from '../../src/downloads/downloads.store.js';
import { type WhitelistStore } from '../../src/whitelist/whitelist.store.js';

export type StoreFactory<T> = () => T | Promise<T>;

export interface ConformanceOptions {
  /** A reason to skip every test (e.g. no MySQL server); each test then shows up as skipped. */
  readonly skip?: string | false;
}

/** A rejection that carries a message an operator can read. */
function isReadableError(error: unknown): boolean {
  return error instanceof Error && error.message.trim().length > 0;
}

const byKey = (a: AuthKeyRecord, b: AuthKeyRecord): number => a.key.localeCompare(b.key);
const byHash = (a: DownloadsEntry, b: DownloadsEntry): number => a.infoHashHex.localeCompare(b.infoHashHex);

/** A 32-character alphanumeric key made from a short tag: `sampleKey('a')` → `aaaa…`. */
export function sampleKey(tag: string): string {
  return tag.repeat(Math.ceil(32 / tag.length)).slice(0, 32);
}

/** The n-th 40-character lowercase hex info hash. */
export function sampleInfoHash(n: number): string {
  return n.toString(16).padStart(40, '0');
}

export function describeAuthKeyStore(
  name: string,
  factory: StoreFactory<AuthKeyStore>,
  options: ConformanceOptions = {},
): void {
  describe(`${name} (AuthKeyStore conformance)`, () => {
    const each = { skip: options.skip ?? false };
    it('loads nothing from an empty store', each, async () => {
      const store = await factory();
      assert.deepEqual(await store.loadAll(), []);
    });

    it('loads an expiring key back with its whole-second expiry', each, async () => {
      const store = await factory();
      await store.add({ key: sampleKey('Expiring1'), validUntil: 1_700_000_000 });
      assert.deepEqual(await store.loadAll(), [{ key: sampleKey('Expiring1'), validUntil: 1_700_000_000 }]);
    });

    it('keeps a permanent key permanent (null expiry)', each, async () => {
      const store = await factory();
      await store.add({ key: sampleKey('Permanent1'), validUntil: null });
      assert.deepEqual(await store.loadAll(), [{ key: sampleKey('Permanent1'), validUntil: null }]);
    });

    it('loads every key that was added', each, async () => {
      const store = await factory();
      const records = [
        { key: sampleKey('A1'), validUntil: 1_800_000_000 },
        { key: sampleKey('B2'), validUntil: null },
        { key: sampleKey('C3'), validUntil: 2_000_000_000 },
      ];
      for (const record of records) await store.add(record);
      assert.deepEqual((await store.loadAll()).sort(byKey), [...records].sort(byKey));
    });

    it('rejects a key that already exists and keeps the first record unchanged', each, async () => {
      const store = await factory();
      await store.add({ key: sampleKey('Twice'), validUntil: 1_700_000_000 });
      await assert.rejects(store.add({ key: sampleKey('Twice'), validUntil: null }), isReadableError);
      assert.deepEqual(await store.loadAll(), [{ key: sampleKey('Twice'), validUntil: 1_700_000_000 }]);
    });

    it('removes a key and reports that it was there', each, async () => {
      const store = await factory();
      await store.add({ key: sampleKey('Gone'), validUntil: null });
      await store.add({ key: sampleKey('Kept'), validUntil: null });
      assert.equal(await store.remove(sampleKey('Gone')), true);
      assert.deepEqual(await store.loadAll(), [{ key: sampleKey('Kept'), validUntil: null }]);
    });

    it('reports false, without failing, when removing an unknown key', each, async () => {
      const store = await factory();
      assert.equal(await store.remove(sampleKey('Unknown')), false);
    });

    it('matches keys exactly, letter case included, when removing', each, async () => {
      const store = await factory();
      await store.add({ key: sampleKey('abc'), validUntil: null });
      assert.equal(await store.remove(sampleKey('ABC')), false);
      assert.deepEqual(await store.loadAll(), [{ key: sampleKey('abc'), validUntil: null }]);
    });

    it('can add a key again after removing it', each, async () => {
      const store = await factory();
      await store.add({ key: sampleKey('Again'), validUntil: 1_700_000_000 });
      await store.remove(sampleKey('Again'));
      await store.add({ key: sampleKey('Again'), validUntil: 1_900_000_000 });
      assert.deepEqual(await store.loadAll(), [{ key: sampleKey('Again'), validUntil: 1_900_000_000 }]);
    });
  });
}

export function describeWhitelistStore(
  name: string,
  factory: StoreFactory<WhitelistStore>,
  options: ConformanceOptions = {},
): void {
  describe(`${name} (WhitelistStore conformance)`, () => {
    const each = { skip: options.skip ?? false };
    it('loads nothing from an empty store', each, async () => {
      const store = await factory();
      assert.deepEqual(await store.loadAll(), []);
    });

    it('does not have a hash that was never added', each, async () => {
      const store = await factory();
      assert.equal(await store.has(sampleInfoHash(1)), false);
    });

    it('has and loads a hash once it is added', each, async () => {
      const store = await factory();
      await store.add(sampleInfoHash(0xabc));
      assert.equal(await store.has(sampleInfoHash(0xabc)), true);
      assert.deepEqual(await store.loadAll(), [sampleInfoHash(0xabc)]);
    });

    it('accepts adding a present hash and keeps a single entry', each, async () => {
      const store = await factory();
      await store.add(sampleInfoHash(2));
      await store.add(sampleInfoHash(2));
      assert.deepEqual(await store.loadAll(), [sampleInfoHash(2)]);
    });

    it('loads every hash that was added', each, async () => {
      const store = await factory();
      const hashes = [sampleInfoHash(3), sampleInfoHash(4), sampleInfoHash(5)];
      for (const hash of hashes) await store.add(hash);
      assert.deepEqual((await store.loadAll()).sort(), [...hashes].sort());
    });

    it('removes a hash, reports that it was there, and keeps the others', each, async () => {
      const store = await factory();
      await store.add(sampleInfoHash(6));
      await store.add(sampleInfoHash(7));
      assert.equal(await store.remove(sampleInfoHash(6)), true);
      assert.equal(await store.has(sampleInfoHash(6)), false);
      assert.deepEqual(await store.loadAll(), [sampleInfoHash(7)]);
    });

    it('reports false, without failing, when removing an absent hash', each, async () => {
      const store = await factory();
      assert.equal(await store.remove(sampleInfoHash(8)), false);
      await store.add(sampleInfoHash(8));
      await store.remove(sampleInfoHash(8));
      assert.equal(await store.remove(sampleInfoHash(8)), false);
    });
  });
}

export function describeDownloadsStore(
  name: string,
  factory: StoreFactory<DownloadsStore>,
  options: ConformanceOptions = {},
): void {
  describe(`${name} (DownloadsStore conformance)`, () => {
    const each = { skip: options.skip ?? false };
    it('loads nothing from an empty store', each, async () => {
      const store = await factory();
      assert.deepEqual(await store.loadAll(), []);
    });

    it('loads back the counts it saved', each, async () => {
      const store = await factory();
      const entries = [
        { infoHashHex: sampleInfoHash(1), completed: 1 },
        { infoHashHex: sampleInfoHash(2), completed: 0 },
        { infoHashHex: sampleInfoHash(3), completed: 123_456 },
      ];
      await store.saveMany(entries);
      assert.deepEqual((await store.loadAll()).sort(byHash), entries);
    });

    it('stores the given value, not an increment, when saving a known torrent again', each, async () => {
      const store = await factory();
      await store.saveMany([{ infoHashHex: sampleInfoHash(1), completed: 5 }]);
      await store.saveMany([
        { infoHashHex: sampleInfoHash(1), completed: 3 },
        { infoHashHex: sampleInfoHash(2), completed: 9 },
      ]);
      assert.deepEqual((await store.loadAll()).sort(byHash), [
        { infoHashHex: sampleInfoHash(1), completed: 3 },
        { infoHashHex: sampleInfoHash(2), completed: 9 },
      ]);
    });

    it('keeps the last value when one call names a torrent twice', each, async () => {
      const store = await factory();
      await store.saveMany([
        { infoHashHex: sampleInfoHash(1), completed: 1 },
        { infoHashHex: sampleInfoHash(1), completed: 2 },
      ]);
      assert.deepEqual(await store.loadAll(), [{ infoHashHex: sampleInfoHash(1), completed: 2 }]);
    });

    it('accepts an empty batch and changes nothing', each, async () => {
      const store = await factory();
      await store.saveMany([{ infoHashHex: sampleInfoHash(1), completed: 4 }]);
      await store.saveMany([]);
      assert.deepEqual(await store.loadAll(), [{ infoHashHex: sampleInfoHash(1), completed: 4 }]);
    });

    it('saves a batch far larger than one statement can carry', each, async () => {
      const store = await factory();
      const entries = Array.from({ length: 2_345 }, (_, i) => ({ infoHashHex: sampleInfoHash(i + 1), completed: i }));
      await store.saveMany(entries);
      const loaded = (await store.loadAll()).sort(byHash);
      assert.equal(loaded.length, entries.length);
      assert.deepEqual(loaded, entries);
    });

    it('saves all or nothing: a bad entry late in a large batch leaves every count as it was', each, async () => {
      const store = await factory();
      const before = [{ infoHashHex: sampleInfoHash(1), completed: 1 }];
      await store.saveMany(before);
      const batch: DownloadsEntry[] = [
        ...Array.from({ length: 1_000 }, (_, i) => ({ infoHashHex: sampleInfoHash(i + 2), completed: 7 })),
        { infoHashHex: sampleInfoHash(1), completed: 99 },
        { infoHashHex: null as unknown as string, completed: 1 },
      ];
      await assert.rejects(store.saveMany(batch), isReadableError);
      assert.deepEqual(await store.loadAll(), before);
    });
  });
}
