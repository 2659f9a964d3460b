import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreConfig } from '../config/configuration.js';
import { InMemoryWhitelistStore } from '../../test/support/in-memory-stores.js';
import { WhitelistService } from './whitelist.service.js';

const HASH = '9c38422213e30bff212b30c360d26f9a02136422';
const BYTES = Buffer.from(HASH, 'hex');

function service(listed = true) {
  const store = new InMemoryWhitelistStore();
  return { store, whitelist: new WhitelistService(store, { listed } as CoreConfig) };
}

describe('WhitelistService', () => {
  it('whitelists a torrent in the database and in memory', async () => {
    const { store, whitelist } = service();
    await whitelist.add(HASH.toUpperCase());
    assert.deepEqual(await store.loadAll(), [HASH]);
    assert.equal(whitelist.isWhitelisted(BYTES, 0), true);
    assert.equal(whitelist.has(HASH), true);
  });

  it('is idempotent', async () => {
    const { store, whitelist } = service();
    await whitelist.add(HASH);
    await whitelist.add(HASH);
    assert.deepEqual(await store.loadAll(), [HASH]);
    await whitelist.remove(HASH);
    await whitelist.remove(HASH);
    assert.deepEqual(await store.loadAll(), []);
    assert.equal(whitelist.isWhitelisted(BYTES, 0), false);
  });

  it('finds a hash inside a larger buffer at an offset', async () => {
    const { whitelist } = service();
    await whitelist.add(HASH);
    const packet = Buffer.concat([Buffer.alloc(16), BYTES]);
    assert.equal(whitelist.isWhitelisted(packet, 16), true);
    assert.equal(whitelist.isWhitelisted(packet, 0), false);
  });

  it('changes nothing in memory when the database write fails', async () => {
    const { store, whitelist } = service();
    store.failNextCall();
    await assert.rejects(whitelist.add(HASH));
    assert.equal(whitelist.isWhitelisted(BYTES, 0), false);
    await whitelist.add(HASH);
    store.failNextCall();
    await assert.rejects(whitelist.remove(HASH));
    assert.equal(whitelist.isWhitelisted(BYTES, 0), true);
  });

  it('loads the whitelist at startup in listed mode only', async () => {
    for (const listed of [true, false]) {
      const { store, whitelist } = service(listed);
      await store.add(HASH);
      await whitelist.onModuleInit();
      assert.equal(whitelist.isWhitelisted(BYTES, 0), listed);
    }
  });

  it('reload replaces memory with the database contents', async () => {
    const { store, whitelist } = service();
    await whitelist.add(HASH);
    await store.remove(HASH);
    await whitelist.reload();
    assert.equal(whitelist.size, 0);
  });
});

describe('WhitelistService reloading a database with malformed rows', () => {
  it('skips rows that are not 40 hex characters', async () => {
    const { store, whitelist } = service();
    await store.add('not-a-hash');
    await store.add(HASH.toUpperCase());
    await whitelist.reload();
    assert.equal(whitelist.size, 1);
    assert.equal(whitelist.isWhitelisted(BYTES, 0), true);
  });
});
