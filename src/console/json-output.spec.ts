import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJson } from './json-output.js';

describe('renderJson', () => {
  it('prints compact JSON on one line (serde_json::to_string)', () => {
    assert.equal(renderJson({ a: 1, b: [1, 2], c: { d: null } }, 'compact'), '{"a":1,"b":[1,2],"c":{"d":null}}');
  });

  it('prints pretty JSON with two-space indents and empty collections inline (to_string_pretty)', () => {
    assert.equal(
      renderJson({ a: [], b: {}, c: ['x'] }, 'pretty'),
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    "x"\n  ]\n}',
    );
  });

  it('prints bigints as plain numbers, beyond the safe integer range too', () => {
    assert.equal(renderJson({ id: -9223372036854775808n, n: 1n }, 'compact'), '{"id":-9223372036854775808,"n":1}');
    assert.equal(renderJson([12345678901234567890n], 'pretty'), '[\n  12345678901234567890\n]');
  });

  it('leaves strings that merely look like the bigint marker alone', () => {
    assert.equal(renderJson({ s: 'bigint:5' }, 'compact'), '{"s":"bigint:5"}');
  });
});
