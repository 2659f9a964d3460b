import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreConfig } from '../config/configuration.js';
import { KeyCheck, StoppedClock } from '../core/domain/ports.js';
import { InMemoryAuthKeyStore } from '../../test/support/in-memory-stores.js';
import {
  AuthKeyDurationError,
  AuthKeyFormatError,
  formatExpiryTime,
  generateKey,
  isValidKeyFormat,
} from './auth-key.js';
import { AuthKeysService } from './auth-keys.service.js';

const KEY = 'YZSl4lMZupRuOpSRC3krIKR5BPB14nrJ';

function service(privateMode = true) {
  const store = new InMemoryAuthKeyStore();
  const clock = new StoppedClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const keys = new AuthKeysService(store, { private: privateMode } as CoreConfig, clock);
  return { store, clock, keys };
}

describe('auth keys', () => {
  describe('the key format', () => {
    it('generates 32 alphanumeric characters, different every time', () => {
      const a = generateKey();
      assert.match(a, /^[0-9A-Za-z]{32}$/);
      assert.notEqual(a, generateKey());
    });

    it('accepts exactly 32 ASCII alphanumerics', () => {
      assert.equal(isValidKeyFormat(KEY), true);
      assert.equal(isValidKeyFormat(KEY.slice(1)), false);
      assert.equal(isValidKeyFormat(`${KEY.slice(1)}-`), false);
      assert.equal(isValidKeyFormat(`${KEY.slice(1)}é`), false);
    });

    it('prints expiry_time as Torrust does', () => {
      assert.equal(formatExpiryTime(Date.UTC(2023, 2, 28, 13, 25, 0)), '2023-03-28 13:25:00 UTC');
      assert.equal(formatExpiryTime(Date.UTC(2023, 2, 28, 13, 25, 0, 58)), '2023-03-28 13:25:00.058 UTC');
    });
  });

  describe('AuthKeysService', () => {
    it('adds an expiring key to the database and to memory', async () => {
      const { store, keys, clock } = service();
      const added = await keys.add(KEY, 60);
      assert.equal(added.validUntilMs, clock.nowMs() + 60_000);
      assert.deepEqual(await store.loadAll(), [{ key: KEY, validUntil: clock.nowMs() / 1000 + 60 }]);
      assert.equal(keys.check(KEY, clock.nowMs()), KeyCheck.Valid);
    });

    it('treats a key as valid at exactly its expiry and expired just after', async () => {
      const { keys, clock } = service();
      await keys.add(KEY, 60);
      assert.equal(keys.check(KEY, clock.nowMs() + 60_000), KeyCheck.Valid);
      assert.equal(keys.check(KEY, clock.nowMs() + 60_001), KeyCheck.Expired);
    });

    it('adds a permanent key when no duration is given', async () => {
      const { store, keys, clock } = service();
      const added = await keys.add(KEY, null);
      assert.equal(added.validUntilMs, null);
      assert.deepEqual(await store.loadAll(), [{ key: KEY, validUntil: null }]);
      assert.equal(keys.check(KEY, clock.nowMs() + 1e12), KeyCheck.Valid);
    });

    it('generates the key when none is given', async () => {
      const { keys } = service();
      const added = await keys.add(null, 10);
      assert.equal(isValidKeyFormat(added.key), true);
    });

    it('refuses a malformed key with Torrust’s reason, writing nothing', async () => {
      const { store, keys } = service();
      await assert.rejects(
        keys.add('short', 10),
        (e: unknown) => e instanceof AuthKeyFormatError && /Invalid key length/.test(e.message),
      );
      await assert.rejects(
        keys.add(`${KEY.slice(1)}!`, 10),
        (e: unknown) => e instanceof AuthKeyFormatError && /Invalid chars/.test(e.message),
      );
      assert.deepEqual(await store.loadAll(), []);
    });

    it('refuses a duration that overflows', async () => {
      const { keys } = service();
      await assert.rejects(keys.add(KEY, 2 ** 60), AuthKeyDurationError);
    });

    it('changes nothing in memory when the database write fails', async () => {
      const { store, keys, clock } = service();
      store.failNextCall();
      await assert.rejects(keys.add(KEY, 60));
      assert.equal(keys.check(KEY, clock.nowMs()), KeyCheck.Unknown);
    });

    it('refuses a duplicate key (the database rejects it) and keeps the first', async () => {
      const { keys, clock } = service();
      await keys.add(KEY, 60);
      await assert.rejects(keys.add(KEY, null));
      assert.equal(keys.check(KEY, clock.nowMs() + 120_000), KeyCheck.Expired);
    });

    it('removes a key from the database and memory', async () => {
      const { store, keys, clock } = service();
      await keys.add(KEY, 60);
      assert.equal(await keys.remove(KEY), true);
      assert.deepEqual(await store.loadAll(), []);
      assert.equal(keys.check(KEY, clock.nowMs()), KeyCheck.Unknown);
      assert.equal(await keys.remove(KEY), false);
    });

    it('keeps the key in memory when the database delete fails', async () => {
      const { store, keys, clock } = service();
      await keys.add(KEY, 60);
      store.failNextCall();
      await assert.rejects(keys.remove(KEY));
      assert.equal(keys.check(KEY, clock.nowMs()), KeyCheck.Valid);
    });

    it('loads keys at startup in private mode only', async () => {
      for (const privateMode of [true, false]) {
        const { store, keys, clock } = service(privateMode);
        await store.add({ key: KEY, validUntil: null });
        await keys.onModuleInit();
        assert.equal(keys.check(KEY, clock.nowMs()), privateMode ? KeyCheck.Valid : KeyCheck.Unknown);
      }
    });

    it('reload replaces memory with the database contents', async () => {
      const { store, keys, clock } = service();
      await keys.add(KEY, 60);
      await store.remove(KEY);
      const other = generateKey();
      await store.add({ key: other, validUntil: Math.floor(clock.nowMs() / 1000) + 5 });
      await keys.reload();
      assert.equal(keys.check(KEY, clock.nowMs()), KeyCheck.Unknown);
      assert.equal(keys.check(other, clock.nowMs()), KeyCheck.Valid);
      assert.equal(keys.check(other, clock.nowMs() + 6000), KeyCheck.Expired);
    });
  });
});

describe('AuthKeysService reloading a database with malformed rows', () => {
  it('skips rows no client could use and keeps the good ones', async () => {
    const { store, keys, clock } = service();
    await store.add({ key: 'short', validUntil: null });
    await store.add({ key: KEY, validUntil: null });
    await keys.reload();
    assert.equal(keys.size, 1);
    assert.equal(keys.check(KEY, clock.nowMs()), KeyCheck.Valid);
  });
});
