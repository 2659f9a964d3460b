import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketHigh, bucketOf, HISTOGRAM_BUCKETS, LatencyHistogram } from './histogram.js';

describe('latency histogram', () => {
  it('buckets are contiguous, monotonic and within 1.6 % (exact below 128)', () => {
    let previousHigh = -1;
    for (let b = 0; b < HISTOGRAM_BUCKETS - 1; b++) {
      const high = bucketHigh(b);
      assert.equal(bucketOf(previousHigh + 1), b, `low edge of bucket ${b}`);
      assert.equal(bucketOf(high), b, `high edge of bucket ${b}`);
      if (b >= 128) assert.ok((high - previousHigh) / (previousHigh + 1) <= 1 / 64, `width of bucket ${b}`);
      previousHigh = high;
      if (high > 2 ** 31) break;
    }
  });

  it('reports nearest-rank percentiles', () => {
    const h = new LatencyHistogram();
    assert.equal(h.percentile(50), 0);
    for (let v = 1; v <= 100; v++) h.record(v);
    assert.equal(h.percentile(50), 50);
    assert.equal(h.percentile(90), 90);
    assert.equal(h.percentile(99), 99);
    assert.equal(h.percentile(100), 100);
    assert.equal(h.max, 100);
  });

  it('is accurate to the bucket width for large values and never above max', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 990; i++) h.record(1000);
    for (let i = 0; i < 10; i++) h.record(250_000);
    const p50 = h.percentile(50);
    assert.ok(p50 >= 1000 && p50 <= 1016, `p50 ${p50}`);
    assert.ok(h.percentile(99) <= 1016);
    assert.equal(h.percentile(99.9), 250_000);
    assert.equal(h.percentile(100), 250_000);
  });

  it('merges', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let v = 1; v <= 50; v++) a.record(v);
    for (let v = 51; v <= 100; v++) b.record(v);
    const m = new LatencyHistogram(a.counts, a.max);
    m.merge(b);
    assert.equal(m.total, 100);
    assert.equal(m.percentile(75), 75);
    assert.equal(m.max, 100);
  });
});
