import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseBuffers } from './response-buffers.js';

describe('ResponseBuffers', () => {
  it('hands out non-overlapping answers of the exact size until reused', () => {
    const buffers = new ResponseBuffers();
    const a = buffers.take(16);
    const b = buffers.take(320);
    const c = buffers.take(16);
    assert.deepEqual([a.length, b.length, c.length], [16, 320, 16]);
    a.fill(1);
    b.fill(2);
    c.fill(3);
    assert.deepEqual([...a], new Array<number>(16).fill(1));
    assert.deepEqual([...b], new Array<number>(320).fill(2));
    assert.equal(a.buffer, b.buffer, 'one slab');
  });

  it('starts the slab over after reuse (the kernel copied every answer)', () => {
    const buffers = new ResponseBuffers();
    const first = buffers.take(98);
    buffers.take(20);
    buffers.reuse();
    const again = buffers.take(98);
    assert.equal(again.buffer, first.buffer);
    assert.equal(again.byteOffset, first.byteOffset);
  });

  it('never writes into an abandoned slab again (a send from it is still queued)', () => {
    const buffers = new ResponseBuffers();
    const queued = buffers.take(98);
    queued.fill(7);
    buffers.abandon();
    const next = buffers.take(98);
    assert.notEqual(next.buffer, queued.buffer);
    next.fill(1);
    buffers.reuse();
    buffers.take(98).fill(2);
    assert.deepEqual([...queued], new Array<number>(98).fill(7));
  });

  it('moves to a new slab when one is full, leaving earlier answers intact', () => {
    const buffers = new ResponseBuffers();
    const answers: Buffer[] = [];
    for (let i = 0; i < 100; i++) {
      const b = buffers.take(1352);
      b.fill(i);
      answers.push(b);
    }
    assert.ok(new Set(answers.map((b) => b.buffer)).size > 1, 'more than one slab');
    answers.forEach((b, i) =>
      assert.ok(
        b.every((x) => x === i),
        `answer ${i} intact`,
      ),
    );
  });

  it('gives very large answers memory of their own', () => {
    const buffers = new ResponseBuffers();
    const small = buffers.take(16);
    const big = buffers.take(10_000);
    assert.equal(big.length, 10_000);
    assert.notEqual(big.buffer, small.buffer);
  });
});
