/**
 * Log-linear latency histogram in microseconds (HdrHistogram-like, 64 sub-buckets per power of
 * two, so a recorded value is off by less than 1.6 %); fixed size, mergeable across workers as a
 * plain array of counts.
 */

const SUB = 64;
const LINEAR = 2 * SUB; // values below 128 µs are exact
const MAX_SHIFT = 30; // up to ~ 2^37 µs (38 hours)
export const HISTOGRAM_BUCKETS = LINEAR + MAX_SHIFT * SUB;

export function bucketOf(value: number): number {
  const v = Math.max(0, Math.floor(value));
  if (v < LINEAR) return v;
  if (v >= 2 ** 32) return HISTOGRAM_BUCKETS - 1;
  const shift = 31 - Math.clz32(v) - 6; // v >>> shift is in [64, 128)
  if (shift > MAX_SHIFT) return HISTOGRAM_BUCKETS - 1;
  const index = LINEAR + (shift - 1) * SUB + ((v >>> shift) - SUB);
  return Math.min(HISTOGRAM_BUCKETS - 1, index);
}

/** The highest value that falls into `bucket`. */
export function bucketHigh(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const shift = Math.floor((bucket - LINEAR) / SUB) + 1;
  const sub = ((bucket - LINEAR) % SUB) + SUB;
  return (sub + 1) * 2 ** shift - 1;
}

export class LatencyHistogram {
  readonly counts: number[];
  total = 0;
  max = 0;

  constructor(counts?: readonly number[], max = 0) {
    this.counts = counts ? [...counts] : new Array<number>(HISTOGRAM_BUCKETS).fill(0);
    for (const c of this.counts) this.total += c;
    this.max = max;
  }

  record(micros: number): void {
    this.counts[bucketOf(micros)]++;
    this.total++;
    if (micros > this.max) this.max = micros;
  }

  merge(other: { counts: readonly number[]; max: number }): void {
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      const c = other.counts[i] ?? 0;
      this.counts[i] += c;
      this.total += c;
    }
    if (other.max > this.max) this.max = other.max;
  }

  /** The value at percentile `p` (0..100), by nearest rank; 0 when empty. Never above max. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(bucketHigh(i), Math.round(this.max));
    }
    return Math.round(this.max);
  }
}
