import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnswerCache, copyStart, rotatedRuns, type CachedAnswer } from './answer-cache.js';
import { SwarmRegistry } from './domain/swarm-registry.js';
import { anAnnounce } from './domain/testing/announce-builder.js';
import type { AnnounceInput } from './domain/types.js';

const T0 = Date.UTC(2026, 0, 1);
const CAP = 74;

/** A registry, a cache, and announces answered from the cache as the UDP path does. */
function harness() {
  const registry = new SwarmRegistry({ maxPeerTimeoutMs: 900_000, seed: 7 });
  const cache = new AnswerCache();
  return {
    registry,
    answer(input: AnnounceInput, now = T0): CachedAnswer {
      const outcome = registry.announce(input, now, 0, true);
      return cache.peersFor(registry, outcome, input, CAP, true, now);
    },
  };
}

function leecher(peer: number, port = 6881): AnnounceInput {
  return anAnnounce()
    .fromPeer(peer)
    .at(`10.0.${peer >> 8}.${peer & 0xff}`, port)
    .build();
}

function addressesOf(a: CachedAnswer): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.count4; i++) {
    const e = a.v4.subarray(i * 6, i * 6 + 6);
    out.push(`${e[0]}.${e[1]}.${e[2]}.${e[3]}:${e.readUInt16BE(4)}`);
  }
  return out.sort();
}

function swarmOf(h: ReturnType<typeof harness>, peers: number): void {
  for (let p = 1; p <= peers; p++) h.answer(leecher(p));
}

describe('AnswerCache', () => {
  it('reuses an entry while the swarm is unchanged', () => {
    const h = harness();
    swarmOf(h, 40);
    const first = h.answer(leecher(1));
    assert.equal(h.answer(leecher(2)), first);
    assert.equal(first.count4, 40);
  });

  it('appends the requester when it is the only peer added since the entry was built', () => {
    const h = harness();
    swarmOf(h, 40);
    const before = h.answer(leecher(1));
    const after = h.answer(leecher(41));
    assert.equal(after, before);
    assert.equal(after.count4, 41);
    assert.ok(addressesOf(after).includes('10.0.0.41:6881'));
    // And the next newcomer too, past the entry's first capacity.
    for (let p = 42; p <= 60; p++) h.answer(leecher(p));
    assert.equal(h.answer(leecher(1)), before);
    assert.equal(before.count4, 60);
    assert.equal(new Set(addressesOf(before)).size, 60);
  });

  it('selects again when somebody else joined in between', () => {
    const h = harness();
    swarmOf(h, 40);
    const before = h.answer(leecher(1));
    h.registry.announce(leecher(41), T0, 0, true); // joins without asking the cache
    const after = h.answer(leecher(42));
    assert.notEqual(after, before);
    assert.equal(after.count4, 42);
  });

  it('stops growing at one entry more than an answer holds', () => {
    const h = harness();
    swarmOf(h, CAP + 1);
    const full = h.answer(leecher(1));
    assert.equal(full.count4, CAP + 1);
    assert.equal(h.answer(leecher(CAP + 2)), full);
    assert.equal(full.count4, CAP + 1);
  });

  it('never keeps the old address of a peer that announces from another port', () => {
    const h = harness();
    swarmOf(h, 40);
    h.answer(leecher(1));
    const after = h.answer(leecher(7, 7777));
    assert.ok(addressesOf(after).includes('10.0.0.7:7777'));
    assert.ok(!addressesOf(after).includes('10.0.0.7:6881'));
  });

  it('never returns a peer that left', () => {
    const h = harness();
    swarmOf(h, 40);
    h.answer(leecher(1));
    h.registry.announce(anAnnounce().fromPeer(9).at('10.0.0.9').stopped().build(), T0, 0, true);
    const after = h.answer(leecher(1));
    assert.equal(after.count4, 39);
    assert.ok(!addressesOf(after).includes('10.0.0.9:6881'));
  });

  it('takes a full entry (a sample of a larger swarm) again after the time to live', () => {
    const h = harness();
    swarmOf(h, CAP + 10);
    const before = h.answer(leecher(1));
    assert.equal(before.count4, CAP + 1);
    assert.equal(h.answer(leecher(1), T0 + 999), before);
    assert.notEqual(h.answer(leecher(1), T0 + 1000), before);
  });

  it('keeps an entry that holds the whole swarm past the time to live', () => {
    const h = harness();
    swarmOf(h, 40);
    const before = h.answer(leecher(1));
    assert.equal(h.answer(leecher(1), T0 + 60_000), before);
  });

  it('takes a newcomer into the entries of the other role too', () => {
    const h = harness();
    swarmOf(h, 40);
    const seeder = (p: number) => anAnnounce().fromPeer(p).at(`10.0.1.${p}`).seeding().build();
    const forSeeders = h.answer(seeder(100));
    const forLeechers = h.answer(leecher(1));
    h.answer(seeder(101)); // joins as a seeder
    h.answer(leecher(41)); // joins as a leecher
    assert.equal(h.answer(leecher(2)), forLeechers);
    assert.equal(h.answer(seeder(100)), forSeeders);
    for (const entry of [forSeeders, forLeechers]) {
      assert.equal(entry.count4, 43);
      assert.ok(addressesOf(entry).includes('10.0.1.101:6881'));
      assert.ok(addressesOf(entry).includes('10.0.0.41:6881'));
    }
  });
});

describe('copying from a cached list', () => {
  const runs = new Int32Array(6);
  function positions(count: number, skip: number, from: number, n: number): number[] {
    const out: number[] = [];
    const k = rotatedRuns(count, 1, skip, from, n, runs);
    for (let r = 0; r < k; r++) for (let i = runs[2 * r]; i < runs[2 * r + 1]; i++) out.push(i);
    return out;
  }

  it('copies from the start, wrapping around, without the skipped entry', () => {
    assert.deepEqual(positions(10, -1, 0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(positions(10, 3, 0, 9), [0, 1, 2, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(positions(10, 3, 7, 5), [7, 8, 9, 0, 1]);
    assert.deepEqual(positions(10, 8, 6, 9), [6, 7, 9, 0, 1, 2, 3, 4, 5]);
    assert.deepEqual(positions(10, 6, 6, 3), [7, 8, 9]);
    assert.deepEqual(positions(10, -1, 3, 0), []);
  });

  it('copies no more than the list holds when asked for more', () => {
    assert.deepEqual(positions(4, 1, 2, 9), [2, 3, 0]);
    assert.deepEqual(positions(3, -1, 1, 5), [1, 2, 0]);
    assert.deepEqual(positions(0, -1, 0, 5), []);
  });

  it('answers requesters that want fewer than the entry holds with different peers in turn', () => {
    const h = harness();
    swarmOf(h, 40);
    const entry = h.answer(leecher(1));
    const seen = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const start = copyStart(entry, entry.count4, 10, entry.count4);
      for (const p of positions(entry.count4, -1, start, 10)) seen.add(p);
    }
    assert.equal(seen.size, 40);
    assert.equal(copyStart(entry, entry.count4, 40, 40), 0);
  });
});
