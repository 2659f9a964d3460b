import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreConfig } from '../config/configuration.js';
import { SwarmRegistry } from '../core/domain/swarm-registry.js';
import { anAnnounce, infoHashOf } from '../core/domain/testing/announce-builder.js';
import { newSwarmMetadata } from '../core/domain/types.js';
import { InMemoryDownloadsStore } from '../../test/support/in-memory-stores.js';
import { DownloadsService } from './downloads.service.js';

const NOW = Date.UTC(2026, 0, 1);

function setup(persistent = true) {
  const registry = new SwarmRegistry({ maxPeerTimeoutMs: 900_000, seed: 3, trackDirtyCompleted: persistent });
  const store = new InMemoryDownloadsStore();
  const core = { trackerPolicy: { persistentTorrentCompletedStat: persistent } } as CoreConfig;
  return { registry, store, downloads: new DownloadsService(registry, store, core) };
}

function complete(registry: SwarmRegistry, torrent: number, peer: number) {
  registry.announce(anAnnounce().forTorrent(torrent).fromPeer(peer).started().build(), NOW, 74, false);
  registry.announce(anAnnounce().forTorrent(torrent).fromPeer(peer).seeding().completed().build(), NOW, 74, false);
}

const hex = (n: number) => Buffer.from(infoHashOf(n)).toString('hex');

describe('DownloadsService', () => {
  it('loads persisted counts into the swarms at startup', async () => {
    const { registry, store, downloads } = setup();
    await store.saveMany([{ infoHashHex: hex(7), completed: 12 }]);
    await downloads.onModuleInit();
    const m = newSwarmMetadata();
    registry.scrape(infoHashOf(7), 0, NOW, m);
    assert.equal(m.downloaded, 12);
  });

  it('writes changed counts behind, in one batch, only once', async () => {
    const { registry, store, downloads } = setup();
    complete(registry, 1, 1);
    complete(registry, 1, 2);
    complete(registry, 2, 1);
    assert.deepEqual(await store.loadAll(), []);
    assert.equal(downloads.queueDepth, 2);
    await downloads.flush();
    const rows = (await store.loadAll()).sort((a, b) => a.completed - b.completed);
    assert.deepEqual(rows, [
      { infoHashHex: hex(2), completed: 1 },
      { infoHashHex: hex(1), completed: 2 },
    ]);
    assert.equal(downloads.stats.rowsWritten, 2);
    await downloads.flush();
    assert.equal(downloads.stats.flushes, 1);
  });

  it('keeps a failed batch and writes it at the next flush', async () => {
    const { registry, store, downloads } = setup();
    complete(registry, 1, 1);
    store.failNextCall();
    await downloads.flush();
    assert.equal(downloads.stats.failures, 1);
    assert.equal(downloads.queueDepth, 1);
    await downloads.flush();
    assert.deepEqual(await store.loadAll(), [{ infoHashHex: hex(1), completed: 1 }]);
  });

  it('flushes pending counts at shutdown', async () => {
    const { registry, store, downloads } = setup();
    downloads.onApplicationBootstrap();
    complete(registry, 3, 1);
    await downloads.beforeApplicationShutdown();
    assert.deepEqual(await store.loadAll(), [{ infoHashHex: hex(3), completed: 1 }]);
  });

  it('neither loads nor writes when persistent_torrent_completed_stat is off', async () => {
    const { registry, store, downloads } = setup(false);
    await store.saveMany([{ infoHashHex: hex(7), completed: 12 }]);
    await downloads.onModuleInit();
    assert.equal(registry.totalsView.torrents, 0);
    complete(registry, 1, 1);
    await downloads.beforeApplicationShutdown();
    assert.equal((await store.loadAll()).length, 1);
  });
});
