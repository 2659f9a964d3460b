import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rustDebugEscape, unhandledRejection } from './api-error.js';
import { parseU32QueryValue } from './raw-query.js';
import { describeJsonValue, isU64Text } from './validation.js';

describe('API input rules', () => {
  it('isU64Text follows Rust u64::from_str', () => {
    for (const ok of ['0', '7257600', '+5', '18446744073709551615']) assert.equal(isU64Text(ok), true, ok);
    for (const bad of ['', '-1', '1.5', ' 1', '1e3', '0x10', '18446744073709551616', '++1']) {
      assert.equal(isU64Text(bad), false, bad);
    }
  });

  it('parseU32QueryValue: empty = default, else digits up to u32', () => {
    assert.equal(parseU32QueryValue(''), null);
    assert.equal(parseU32QueryValue('4294967295'), 4294967295);
    assert.throws(() => parseU32QueryValue('4294967296'), {
      body: 'Failed to deserialize query string: number too large to fit in target type',
    });
    assert.throws(() => parseU32QueryValue('-1'), {
      body: 'Failed to deserialize query string: invalid digit found in string',
    });
  });

  it('describeJsonValue names values as serde does', () => {
    assert.equal(describeJsonValue('x'), 'string "x"');
    assert.equal(describeJsonValue(-1), 'integer `-1`');
    assert.equal(describeJsonValue(1.5), 'floating point `1.5`');
    assert.equal(describeJsonValue(false), 'boolean `false`');
    assert.equal(describeJsonValue([]), 'sequence');
    assert.equal(describeJsonValue({}), 'map');
    assert.equal(describeJsonValue(null), 'null');
  });

  it('unhandled rejection reasons are escaped as Rust debug strings', () => {
    assert.equal(rustDebugEscape('a "b" \\ c\n'), 'a \\"b\\" \\\\ c\\n');
    const err = unhandledRejection('failed to x: near "KEY": syntax error');
    assert.equal(err.status, 500);
    assert.equal(err.body, 'Unhandled rejection: Err { reason: "failed to x: near \\"KEY\\": syntax error" }');
  });
});
