/**
 * ResponseBuffers: where UDP answers are written. Answers are consecutive regions of one slab,
 * so the answers of a batch (all datagrams of one turn of the event loop, sent together by the
 * server) never overlap and the answer path allocates only a view per answer. After a batch is
 * sent, `reuse` starts the slab over when the kernel took every datagram (the usual case), and
 * `abandon` starts a fresh slab when some send was queued (socket buffer full): libuv still
 * points into the old slab, which stays alive through the queued sends' references.
 */

/** One slab holds a full batch of the largest answers (32 datagrams per read of 1,352 bytes). */
const SLAB_BYTES = 64 * 1024;
/** Answers larger than this get memory of their own (none are, with default limits). */
const MAX_SLAB_ANSWER = 4096;

export class ResponseBuffers {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private used = 0;

  /** `size` bytes with unspecified content, not overlapping any answer taken since `reuse`. */
  take(size: number): Buffer {
    if (size > MAX_SLAB_ANSWER) return Buffer.allocUnsafeSlow(size);
    let at = this.used;
    if (at + size > SLAB_BYTES) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      at = 0;
    }
    this.used = at + size;
    return this.slab.subarray(at, at + size);
  }

  /** Every answer taken so far has been sent and copied by the kernel: their memory is reused. */
  reuse(): void {
    this.used = 0;
  }

  /** Some answer taken so far is still queued for sending: later answers go to a fresh slab. */
  abandon(): void {
    this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    this.used = 0;
  }
}
