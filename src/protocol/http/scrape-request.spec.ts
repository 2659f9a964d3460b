import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { percentEncode } from './percent.js';
import { QUERY_LOCATION } from './query.js';
import { HttpScrapeRequest, SCRAPE_FAILURE_PREFIX, SCRAPE_LOCATION, parseScrapeRequest } from './scrape-request.js';

const HASH_A = '%3B%24U%04%CF%5F%11%BB%DB%E1%20%1C%EAjk%F4Z%EE%1B%C0';
const HASH_A_HEX = '3b245504cf5f11bbdbe1201cea6a6bf45aee1bc0';
const HASH_B = '%81' + '%00'.repeat(19);

describe('HTTP scrape request', () => {
  it('parses every info_hash in request order, duplicates kept', () => {
    const req = new HttpScrapeRequest();
    assert.equal(parseScrapeRequest(`info_hash=${HASH_A}&x=1&info_hash=${HASH_B}&info_hash=${HASH_A}`, req), null);
    assert.equal(req.count, 3);
    assert.equal(req.infoHash(0).toString('hex'), HASH_A_HEX);
    assert.equal(req.infoHash(1).toString('hex'), '81' + '00'.repeat(19));
    assert.equal(req.infoHash(2).toString('hex'), HASH_A_HEX);
  });

  it('grows for many hashes and is reusable', () => {
    const req = new HttpScrapeRequest();
    const hashes = Array.from({ length: 100 }, (_, i) => Buffer.alloc(20, i));
    assert.equal(parseScrapeRequest(hashes.map((h) => `info_hash=${percentEncode(h)}`).join('&'), req), null);
    assert.equal(req.count, 100);
    hashes.forEach((h, i) => assert.deepEqual(req.infoHash(i), h));
    assert.equal(parseScrapeRequest(`info_hash=${HASH_A}`, req), null);
    assert.equal(req.count, 1);
  });

  it('fails without a query', () => {
    assert.equal(
      parseScrapeRequest(undefined, new HttpScrapeRequest()),
      `${SCRAPE_FAILURE_PREFIX}missing query params for scrape request in ${SCRAPE_LOCATION}`,
    );
  });

  it('fails without any info_hash', () => {
    for (const raw of ['', '?', 'a=1', '&&']) {
      assert.equal(
        parseScrapeRequest(raw, new HttpScrapeRequest()),
        `Bad request. Cannot parse query params for scrape request: missing param info_hash in ${SCRAPE_LOCATION}`,
      );
    }
  });

  it('fails on the first bad info_hash', () => {
    const req = new HttpScrapeRequest();
    assert.equal(
      parseScrapeRequest(`info_hash=${HASH_A}&info_hash=invalid&info_hash=alsobad`, req),
      `${SCRAPE_FAILURE_PREFIX}invalid param value invalid for info_hash in not enough bytes for infohash: got 7 bytes, expected 20 ${SCRAPE_LOCATION}`,
    );
    assert.equal(req.count, 0);
    assert.match(parseScrapeRequest(`info_hash=${HASH_A}%41`, req)!, /too many bytes for infohash: got 21 bytes/);
  });

  it('fails on a malformed piece', () => {
    assert.equal(
      parseScrapeRequest(`info_hash=${HASH_A}&a=b=c`, new HttpScrapeRequest()),
      `Bad request. Cannot parse query params: invalid param a=b=c in ${QUERY_LOCATION}`,
    );
  });

  it('property: percent-encoded hashes round trip', () => {
    const req = new HttpScrapeRequest();
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 20, maxLength: 20 }), { minLength: 1, maxLength: 30 }),
        (hashes) => {
          assert.equal(parseScrapeRequest(hashes.map((h) => `info_hash=${percentEncode(h)}`).join('&'), req), null);
          assert.equal(req.count, hashes.length);
          hashes.forEach((h, i) => assert.deepEqual(req.infoHash(i), Buffer.from(h)));
        },
      ),
    );
  });
});
