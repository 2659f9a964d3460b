import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseBuffers } from './response-buffers.js';

describe('ResponseBuffers', () => {
  it('hands out one buffer per exact size and reuses it', () => {
    const buffers = new ResponseBuffers();
    const a = buffers.take(16);
    const b = buffers.take(320);
    assert.equal(a.length, 16);
    assert.equal(b.length, 320);
    assert.notEqual(a.buffer, b.buffer);
    assert.equal(buffers.take(16), a);
    assert.equal(buffers.take(320), b);
  });

  it('never hands out a detached buffer again (its send is still queued)', () => {
    const buffers = new ResponseBuffers();
    const queued = buffers.take(98);
    queued.fill(7);
    buffers.detach(queued);
    const next = buffers.take(98);
    assert.notEqual(next, queued);
    next.fill(1);
    assert.deepEqual([...queued], new Array<number>(98).fill(7));
    assert.equal(buffers.take(98), next);
  });

  it('detaching a buffer that is no longer the pooled one changes nothing', () => {
    const buffers = new ResponseBuffers();
    const first = buffers.take(20);
    buffers.detach(first);
    const second = buffers.take(20);
    buffers.detach(first);
    assert.equal(buffers.take(20), second);
  });

  it('gives very large answers a buffer of their own', () => {
    const buffers = new ResponseBuffers();
    const big = buffers.take(10_000);
    assert.equal(big.length, 10_000);
    assert.notEqual(buffers.take(10_000), big);
  });
});
