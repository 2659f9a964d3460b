import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GrowableMemory } from './growable-memory.js';

const MiB = 1024 * 1024;

describe('GrowableMemory', () => {
  it('starts as a plain buffer of the asked size', () => {
    const m = new GrowableMemory(1000);
    assert.equal(m.buffer.byteLength, 1000);
    assert.equal(m.inPlace, false);
  });

  it('keeps the content and zeroes the new bytes when a small table grows', () => {
    const m = new GrowableMemory(16);
    new Uint8Array(m.buffer).fill(9);
    const grown = new Uint8Array(m.grow(64));
    assert.equal(grown.length, 64);
    assert.deepEqual([...grown.subarray(0, 16)], new Array<number>(16).fill(9));
    assert.deepEqual([...grown.subarray(16)], new Array<number>(48).fill(0));
  });

  it('moves a large table into memory that grows in place, content kept', () => {
    const m = new GrowableMemory(MiB);
    const before = new Uint32Array(m.buffer);
    for (let i = 0; i < before.length; i++) before[i] = i * 7;
    const moved = new Uint32Array(m.grow(8 * MiB));
    assert.equal(m.inPlace, true);
    assert.ok(moved.length >= (8 * MiB) / 4);
    for (let i = 0; i < before.length; i++) assert.equal(moved[i], i * 7);
    moved[moved.length - 1] = 42;
    const again = new Uint32Array(m.grow(16 * MiB));
    assert.equal(m.inPlace, true);
    assert.equal(again[(8 * MiB) / 4 - 1], 42);
    assert.equal(again[123], 123 * 7);
    assert.equal(again[again.length - 1], 0);
    assert.equal(moved.length, 0, 'views over the grown-from buffer are detached');
  });

  it('does nothing when the buffer is already large enough', () => {
    const m = new GrowableMemory(100);
    const b = m.buffer;
    assert.equal(m.grow(50), b);
  });
});
