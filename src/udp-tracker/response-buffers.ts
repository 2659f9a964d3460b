/**
 * ResponseBuffers: one reusable Buffer per response size. A UDP answer is written into the
 * buffer of its exact size and sent; when the send completed synchronously (the usual case:
 * the kernel took the datagram) the same buffer serves the next answer of that size, so the
 * answer path allocates nothing and writes into memory that is already in the CPU cache. When
 * a send was queued instead (socket buffer full), the queued buffer must stay untouched until
 * it leaves: `detach` makes the next answer of that size use a fresh buffer.
 */

/** Answers larger than this get a buffer of their own each time (none are, with default limits). */
const MAX_POOLED_SIZE = 4096;

export class ResponseBuffers {
  private readonly bySize: (Buffer | undefined)[] = new Array<Buffer | undefined>(MAX_POOLED_SIZE + 1).fill(undefined);

  /** A buffer of exactly `size` bytes, with unspecified content; valid until the next `take(size)`. */
  take(size: number): Buffer {
    if (size > MAX_POOLED_SIZE) return Buffer.allocUnsafeSlow(size);
    let b = this.bySize[size];
    if (b === undefined) {
      b = Buffer.allocUnsafeSlow(size);
      this.bySize[size] = b;
    }
    return b;
  }

  /** `buf` is still referenced by a queued send: never hand it out again. */
  detach(buf: Buffer): void {
    if (this.bySize[buf.length] === buf) this.bySize[buf.length] = undefined;
  }
}
