import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { infoHashOf, paretoIndex, peerIdOf, Rng, Workload, type WorkloadParams } from './workload.js';

const PARAMS: WorkloadParams = {
  torrents: 1000,
  peers: 100,
  pareto: 2,
  announcePct: 80,
  seed: 7,
  worker: 0,
  workers: 1,
};

function take(w: Workload, n: number) {
  return Array.from({ length: n }, () => w.next());
}

describe('loadtest workload', () => {
  it('is deterministic for a seed and worker, and differs between seeds and workers', () => {
    assert.deepEqual(take(new Workload(PARAMS), 500), take(new Workload(PARAMS), 500));
    assert.notDeepEqual(take(new Workload(PARAMS), 50), take(new Workload({ ...PARAMS, seed: 8 }), 50));
    assert.notDeepEqual(
      take(new Workload({ ...PARAMS, workers: 2 }), 50),
      take(new Workload({ ...PARAMS, worker: 1, workers: 2 }), 50),
    );
    assert.deepEqual(infoHashOf(7, 3), infoHashOf(7, 3));
    assert.notDeepEqual(infoHashOf(7, 3), infoHashOf(7, 4));
    assert.notDeepEqual(infoHashOf(7, 3), infoHashOf(8, 3));
    assert.equal(peerIdOf(7, 3).length, 20);
    assert.equal(peerIdOf(7, 3).subarray(0, 8).toString(), '-LT0001-');
  });

  it('gives distinct info hashes for distinct torrents', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10000; i++) seen.add(infoHashOf(1, i).toString('hex'));
    assert.equal(seen.size, 10000);
  });

  it('maps a Pareto draw to an index as documented', () => {
    assert.equal(paretoIndex(0, 1000, 2), 0); // X = 1
    assert.equal(paretoIndex(0.75, 1000, 2), 10); // X = 2 → 1000 * 1/100
    assert.equal(paretoIndex(0.999999999, 1000, 2), 999); // X capped at 101
    assert.equal(paretoIndex(0.5, 1000, 0), 500); // uniform
  });

  it('skews popularity with the Pareto shape and is uniform at 0', () => {
    const share = (pareto: number): number => {
      const w = new Workload({ ...PARAMS, pareto, announcePct: 100 });
      let head = 0;
      for (let i = 0; i < 20000; i++) {
        const r = w.next();
        if (r.kind === 'announce' && r.torrent < 10) head++;
      }
      return head / 20000;
    };
    // shape 2: P(index < 10) = P(X < 2) = 1 - 2^-2 = 0.75; uniform: 1 %
    assert.ok(Math.abs(share(2) - 0.75) < 0.02, `shape 2: ${share(2)}`);
    assert.ok(Math.abs(share(0) - 0.01) < 0.005, `uniform: ${share(0)}`);
  });

  it('mixes announces and scrapes of 1..5 hashes by announce-pct, and splits clients between workers', () => {
    const w = new Workload({ ...PARAMS, worker: 1, workers: 3 });
    let announces = 0;
    for (const r of take(w, 10000)) {
      if (r.kind === 'announce') {
        announces++;
        assert.equal(r.peer % 3, 1);
        assert.ok(r.peer < 100);
      } else {
        assert.ok(r.torrents.length >= 1 && r.torrents.length <= 5);
      }
    }
    assert.ok(Math.abs(announces / 10000 - 0.8) < 0.02);
    assert.ok(take(new Workload({ ...PARAMS, announcePct: 0 }), 100).every((r) => r.kind === 'scrape'));
  });

  it('draws uniformly', () => {
    const rng = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 10000; i++) sum += rng.next();
    assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02);
  });
});
