import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnswerCache, AnswerShare, markPresent, presenceBit, type CachedAnswer } from './answer-cache.js';
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

describe('a share of a cached answer', () => {
  /** An answer of `count` IPv4 entries: entry i is 10.0.0.i, port 1000 + i. */
  function answerOf(count: number, start = 0): CachedAnswer {
    const v4 = Buffer.alloc(count * 6);
    const present = new Int32Array(8);
    for (let i = 0; i < count; i++) {
      v4.set([10, 0, 0, i], i * 6);
      v4.writeUInt16BE(1000 + i, i * 6 + 4);
      markPresent(present, i, 1000 + i);
    }
    const v6 = Buffer.alloc(0);
    return { v4, count4: count, v6, count6: 0, version: 0, swarm: count, validUntil: 0, start, present };
  }

  /** Entry `i`'s requester (its own address and port). */
  function requester(i: number) {
    return { ip: new Uint8Array([10, 0, 0, i]), ipOffset: 0, port: 1000 + i };
  }

  /** The entries (by index) of a share of `wanted`, leaving out entry `skip` (-1: none). */
  function share(answer: CachedAnswer, skip: number, wanted: number): number[] {
    const s = new AnswerShare();
    const n = s.take(answer, 4, skip < 0 ? null : requester(skip), wanted);
    const out: number[] = [];
    for (let r = 0; r < s.runCount; r++) {
      for (let at = s.runs[2 * r]; at < s.runs[2 * r + 1]; at += 6) out.push(s.list[at + 3]);
    }
    assert.equal(out.length, n);
    return out;
  }

  it("takes every entry from the first, without the requester's own", () => {
    assert.deepEqual(share(answerOf(10), -1, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(share(answerOf(10, 6), 8, 9), [0, 1, 2, 3, 4, 5, 6, 7, 9]);
    assert.deepEqual(share(answerOf(10), 3, 74), [0, 1, 2, 4, 5, 6, 7, 8, 9]);
  });

  it('takes fewer from where the previous share ended, wrapping around', () => {
    assert.deepEqual(share(answerOf(10, 7), 3, 5), [7, 8, 9, 0, 1]);
    assert.deepEqual(share(answerOf(10, 6), 6, 3), [7, 8, 9]);
    assert.deepEqual(share(answerOf(10, 3), -1, 0), []);
    const answer = answerOf(10, 17);
    assert.deepEqual(share(answer, -1, 4), [7, 8, 9, 0]);
    assert.deepEqual(share(answer, -1, 4), [1, 2, 3, 4]);
  });

  it('takes no more than the list holds', () => {
    assert.deepEqual(share(answerOf(4, 2), 1, 9), [0, 2, 3]);
    assert.deepEqual(share(answerOf(1), 0, 5), []);
    assert.deepEqual(share(answerOf(0, 5), -1, 5), []);
  });

  it('leaves out the requester whether its entry was selected or appended as it joined', () => {
    const h = harness();
    swarmOf(h, 40);
    const s = new AnswerShare();
    for (const peer of [1, 17, 40, 41, 41]) {
      const me = leecher(peer);
      const entry = h.answer(me);
      assert.equal(s.take(entry, 4, me, 74), entry.count4 - 1, `peer ${peer}`);
      const mine = Buffer.from([10, 0, 0, peer, 6881 >>> 8, 6881 & 0xff]).toString('hex');
      for (let r = 0; r < s.runCount; r++) {
        for (let at = s.runs[2 * r]; at < s.runs[2 * r + 1]; at += 6) {
          assert.notEqual(s.list.subarray(at, at + 6).toString('hex'), mine, `peer ${peer}`);
        }
      }
    }
  });

  it('spreads peers of one address over the presence filter by port', () => {
    const bits = new Set<number>();
    for (let port = 1024; port < 1024 + 75; port++) bits.add(presenceBit(1, port));
    assert.equal(bits.size, 75);
  });

  it('answers requesters that want fewer than the entry holds with different peers in turn', () => {
    const h = harness();
    swarmOf(h, 40);
    const entry = h.answer(leecher(1));
    const seen = new Set<string>();
    const s = new AnswerShare();
    for (let i = 0; i < 4; i++) {
      assert.equal(s.take(entry, 4, null, 10), 10);
      for (let r = 0; r < s.runCount; r++) {
        for (let at = s.runs[2 * r]; at < s.runs[2 * r + 1]; at += 6)
          seen.add(s.list.subarray(at, at + 6).toString('hex'));
      }
    }
    assert.equal(seen.size, 40);
    assert.equal(s.take(entry, 4, null, 40), 40);
    assert.equal(s.runs[0], 0);
  });
});
