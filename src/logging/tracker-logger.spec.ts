import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrackerLogger, nestLogLevels } from './tracker-logger.js';

function capture(threshold: 'off' | 'error' | 'info' | 'debug', style: 'text' | 'json' = 'text') {
  const lines: string[] = [];
  return { lines, logger: new TrackerLogger(threshold, (l) => lines.push(l), style) };
}

describe('TrackerLogger', () => {
  it('writes Torrust-like text lines that keep the "Started on: " form', () => {
    const { lines, logger } = capture('info');
    logger.log('Started on: udp://127.0.0.1:6969', 'UDP TRACKER');
    assert.match(lines[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}INFO UDP TRACKER: Started on: udp:\/\/127\.0\.0\.1:6969\n$/);
  });

  it('filters by threshold', () => {
    const { lines, logger } = capture('error');
    logger.warn('w', 'X');
    logger.log('i', 'X');
    logger.error('e', 'X');
    assert.equal(lines.length, 1);
    const off = capture('off');
    off.logger.error('e', 'X');
    assert.equal(off.lines.length, 0);
    assert.deepEqual(nestLogLevels('warn'), ['fatal', 'error', 'warn']);
  });

  it('writes one JSON object per line in json style, with the stack of an error', () => {
    const { lines, logger } = capture('debug', 'json');
    logger.log('hello', 'Ctx');
    logger.error(new Error('boom'), 'Ctx');
    const first = JSON.parse(lines[0]);
    assert.deepEqual(
      { level: first.level, context: first.context, msg: first.msg },
      { level: 'info', context: 'Ctx', msg: 'hello' },
    );
    const second = JSON.parse(lines[1]);
    assert.equal(second.level, 'error');
    assert.equal(second.msg, 'boom');
    assert.match(second.stack, /Error: boom/);
  });
});
