import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUERY_LOCATION, parseQuery, rawQueryOf } from './query.js';

function pairs(raw: string): [string, string][] | string {
  const r = parseQuery(raw);
  if (!r.ok) return r.reason;
  return r.params.names.map((n, i) => [n, r.params.values[i]]);
}

describe('raw query parsing', () => {
  it('splits the request target at the first ?', () => {
    assert.equal(rawQueryOf('/announce'), undefined);
    assert.equal(rawQueryOf('/announce?'), '');
    assert.equal(rawQueryOf('/announce?a=1?b=2'), 'a=1?b=2');
  });

  it('splits pieces on & and each piece at its =, keeping names and values raw', () => {
    assert.deepEqual(pairs('info_hash=%41%42&port=6881&x='), [
      ['info_hash', '%41%42'],
      ['port', '6881'],
      ['x', ''],
    ]);
    assert.deepEqual(pairs('a%5Fb=+1'), [['a%5Fb', '+1']]);
    assert.deepEqual(pairs('=v'), [['', 'v']]);
  });

  it('trims whitespace and leading ? characters', () => {
    assert.deepEqual(pairs('  ??a=1 '), [['a', '1']]);
    assert.deepEqual(pairs('\ta=1\n'), [['a', '1']]);
    assert.deepEqual(pairs('\u00a0a=1\u2028'), [['a', '1']]);
    assert.deepEqual(pairs('a=?1'), [['a', '?1']]);
  });

  it('ignores empty pieces (our fix): &&, trailing &, leading &, ? alone', () => {
    assert.deepEqual(pairs('a=1&&b=2&'), [
      ['a', '1'],
      ['b', '2'],
    ]);
    assert.deepEqual(pairs('&a=1'), [['a', '1']]);
    assert.deepEqual(pairs(''), []);
    assert.deepEqual(pairs('?'), []);
    assert.deepEqual(pairs('&'), []);
  });

  it('fails on a piece with more than one =', () => {
    assert.equal(
      pairs('x=1&a=b=c&y=2'),
      `Bad request. Cannot parse query params: invalid param a=b=c in ${QUERY_LOCATION}`,
    );
    assert.equal(pairs('a=='), `Bad request. Cannot parse query params: invalid param a== in ${QUERY_LOCATION}`);
  });

  it('fails on a piece without = (as Torrust)', () => {
    assert.equal(
      pairs('compact&a=1'),
      `Bad request. Cannot parse query params: invalid param compact in ${QUERY_LOCATION}`,
    );
    const r = parseQuery('a=1&flag');
    assert.ok(!r.ok && r.piece === 'flag');
  });

  it('keeps every occurrence; get() returns the first, getAll() all', () => {
    const r = parseQuery('info_hash=a&port=1&info_hash=b&port=2');
    assert.ok(r.ok);
    assert.equal(r.params.get('port'), '1');
    assert.deepEqual(r.params.getAll('info_hash'), ['a', 'b']);
    assert.equal(r.params.get('missing'), undefined);
    assert.equal(r.params.size, 4);
  });
});
