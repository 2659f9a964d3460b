import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ANNOUNCE_EVENT_COMPLETED,
  ANNOUNCE_EVENT_NONE,
  ANNOUNCE_EVENT_STARTED,
  ANNOUNCE_EVENT_STOPPED,
} from '../announce-event.js';
import {
  ANNOUNCE_FAILURE_PREFIX,
  ANNOUNCE_LOCATION,
  HttpAnnounceRequest,
  parseAnnounceRequest,
} from './announce-request.js';
import { percentEncode } from './percent.js';
import { QUERY_LOCATION } from './query.js';

const INFO_HASH = '%3B%24U%04%CF%5F%11%BB%DB%E1%20%1C%EAjk%F4Z%EE%1B%C0';
const INFO_HASH_HEX = '3b245504cf5f11bbdbe1201cea6a6bf45aee1bc0';
const PEER_ID = '-qB00000000000000001';
const MANDATORY = `info_hash=${INFO_HASH}&peer_id=${PEER_ID}&port=17548`;

function parse(raw: string | undefined): { failure: string | null; req: HttpAnnounceRequest } {
  const req = new HttpAnnounceRequest();
  return { failure: parseAnnounceRequest(raw, req), req };
}

function ok(raw: string): HttpAnnounceRequest {
  const { failure, req } = parse(raw);
  assert.equal(failure, null);
  return req;
}

function fails(raw: string | undefined): string {
  const { failure } = parse(raw);
  assert.ok(failure !== null, `expected a failure for ${raw}`);
  return failure;
}

const announceFailure = (text: string) => `${ANNOUNCE_FAILURE_PREFIX}${text}`;

describe('HTTP announce request', () => {
  describe('accepted requests', () => {
    it('parses the mandatory params with defaults for the rest', () => {
      const req = ok(MANDATORY);
      assert.equal(req.infoHash.toString('hex'), INFO_HASH_HEX);
      assert.equal(req.peerId.toString('latin1'), PEER_ID);
      assert.equal(req.port, 17548);
      assert.deepEqual([req.uploaded, req.downloaded, req.left], [0, 0, 0]);
      assert.equal(req.event, ANNOUNCE_EVENT_NONE);
      assert.equal(req.compact, false);
      assert.equal(req.numWant, undefined);
    });

    it('parses every param (Torrust HTTP client query, unknown params ignored)', () => {
      const req = ok(
        `info_hash=${INFO_HASH}&peer_addr=192.168.1.88&downloaded=1&uploaded=2&peer_id=%2DqB00000000000000001` +
          `&port=17548&left=3&event=completed&compact=1&numwant=50&key=abc&supportcrypto=1&ipv6=None`,
      );
      assert.deepEqual([req.downloaded, req.uploaded, req.left], [1, 2, 3]);
      assert.equal(req.peerId.toString('latin1'), PEER_ID);
      assert.equal(req.event, ANNOUNCE_EVENT_COMPLETED);
      assert.equal(req.compact, true);
      assert.equal(req.numWant, 50);
    });

    it('accepts port 0 and 65535', () => {
      assert.equal(ok(`${MANDATORY.replace('17548', '0')}`).port, 0);
      assert.equal(ok(`${MANDATORY.replace('17548', '65535')}`).port, 65535);
    });

    it('maps the events, treating absent, empty and "empty" as none', () => {
      const cases: [string, number][] = [
        ['&event=started', ANNOUNCE_EVENT_STARTED],
        ['&event=stopped', ANNOUNCE_EVENT_STOPPED],
        ['&event=completed', ANNOUNCE_EVENT_COMPLETED],
        ['&event=empty', ANNOUNCE_EVENT_NONE],
        ['&event=', ANNOUNCE_EVENT_NONE],
        ['', ANNOUNCE_EVENT_NONE],
      ];
      for (const [extra, code] of cases) assert.equal(ok(MANDATORY + extra).event, code, extra);
    });

    it('compact: 0 and absent are the dictionary form, 1 is compact', () => {
      assert.equal(ok(`${MANDATORY}&compact=0`).compact, false);
      assert.equal(ok(`${MANDATORY}&compact=1`).compact, true);
    });

    it('numwant: any u32, 0 included', () => {
      assert.equal(ok(`${MANDATORY}&numwant=0`).numWant, 0);
      assert.equal(ok(`${MANDATORY}&numwant=4294967295`).numWant, 4294967295);
      assert.equal(ok(`${MANDATORY}&numwant=+7`).numWant, 7); // Rust's u32::from_str accepts '+'
      assert.equal(ok(`${MANDATORY}&numwant=007`).numWant, 7);
    });

    it('byte counters: u64 up to i64::MAX, as numbers', () => {
      assert.equal(ok(`${MANDATORY}&left=9223372036854775807`).left, 2 ** 63); // i64::MAX rounds to 2^63
      assert.equal(ok(`${MANDATORY}&left=09223372036854775807`).left, 2 ** 63); // i64::MAX rounds to 2^63
      assert.equal(ok(`${MANDATORY}&uploaded=9007199254740993`).uploaded, 9007199254740992); // rounded above 2^53
      assert.equal(ok(`${MANDATORY}&downloaded=+0`).downloaded, 0);
      assert.equal(ok(`${MANDATORY}&left=000000000000000000000000000001`).left, 1);
    });

    it('uses the first occurrence of a repeated param', () => {
      const req = ok(`${MANDATORY}&port=1&event=started&event=stopped&info_hash=${'%00'.repeat(20)}`);
      assert.equal(req.port, 17548);
      assert.equal(req.event, ANNOUNCE_EVENT_STARTED);
      assert.equal(req.infoHash.toString('hex'), INFO_HASH_HEX);
    });

    it('ignores empty pieces and a leading ?', () => {
      assert.equal(ok(`?&${MANDATORY}&&event=started&`).event, ANNOUNCE_EVENT_STARTED);
    });

    it('keeps + in binary params as byte 0x2B', () => {
      const req = ok(`info_hash=${'+'.repeat(20)}&peer_id=${PEER_ID}&port=1`);
      assert.equal(req.infoHash.toString('latin1'), '+'.repeat(20));
    });

    it('reuses the request object across calls', () => {
      const req = new HttpAnnounceRequest();
      assert.equal(parseAnnounceRequest(`${MANDATORY}&numwant=5&compact=1`, req), null);
      assert.equal(parseAnnounceRequest(MANDATORY, req), null);
      assert.equal(req.numWant, undefined);
      assert.equal(req.compact, false);
    });

    it('property: any 20-byte info hash and peer id, percent-encoded, round trip', () => {
      const req = new HttpAnnounceRequest();
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 20, maxLength: 20 }),
          fc.uint8Array({ minLength: 20, maxLength: 20 }),
          fc.integer({ min: 0, max: 65535 }),
          fc.maxSafeNat(),
          (ih, pid, port, left) => {
            const raw = `info_hash=${percentEncode(ih)}&peer_id=${percentEncode(pid)}&port=${port}&left=${left}`;
            assert.equal(parseAnnounceRequest(raw, req), null);
            assert.deepEqual(req.infoHash, Buffer.from(ih));
            assert.deepEqual(req.peerId, Buffer.from(pid));
            assert.equal(req.port, port);
            assert.equal(req.left, left);
          },
        ),
      );
    });
  });

  describe('failures (error-texts.md)', () => {
    it('no query at all', () => {
      assert.equal(
        fails(undefined),
        announceFailure(`missing query params for announce request in ${ANNOUNCE_LOCATION}`),
      );
    });

    it('a malformed piece, reported before anything else', () => {
      assert.equal(fails('a=b=c'), `Bad request. Cannot parse query params: invalid param a=b=c in ${QUERY_LOCATION}`);
      assert.equal(
        fails(`${MANDATORY}&compact`),
        `Bad request. Cannot parse query params: invalid param compact in ${QUERY_LOCATION}`,
      );
    });

    it('missing mandatory params, in Torrust order', () => {
      assert.equal(fails(''), announceFailure(`missing param info_hash in ${ANNOUNCE_LOCATION}`));
      assert.equal(fails('?'), announceFailure(`missing param info_hash in ${ANNOUNCE_LOCATION}`));
      assert.equal(
        fails(`info_hash=${INFO_HASH}&port=1`),
        announceFailure(`missing param peer_id in ${ANNOUNCE_LOCATION}`),
      );
      assert.equal(
        fails(`info_hash=${INFO_HASH}&peer_id=${PEER_ID}`),
        announceFailure(`missing param port in ${ANNOUNCE_LOCATION}`),
      );
    });

    it('info_hash of the wrong length', () => {
      assert.equal(
        fails(`info_hash=invalid&peer_id=${PEER_ID}&port=1`),
        announceFailure(
          `invalid param value invalid for info_hash in not enough bytes for infohash: got 7 bytes, expected 20 ${ANNOUNCE_LOCATION}`,
        ),
      );
      const long = `${INFO_HASH}%00`;
      assert.equal(
        fails(`info_hash=${long}&peer_id=${PEER_ID}&port=1`),
        announceFailure(
          `invalid param value ${long} for info_hash in too many bytes for infohash: got 21 bytes, expected 20 ${ANNOUNCE_LOCATION}`,
        ),
      );
      assert.match(fails(`info_hash=&peer_id=${PEER_ID}&port=1`), /got 0 bytes, expected 20/);
      assert.match(
        fails(`info_hash=${'%41'.repeat(100)}&peer_id=${PEER_ID}&port=1`),
        /too many bytes for infohash: got 100 bytes/,
      );
      assert.match(fails(`info_hash=${'é'.repeat(70)}&peer_id=${PEER_ID}&port=1`), /got 140 bytes/);
    });

    it('peer_id of the wrong length', () => {
      assert.equal(
        fails(`info_hash=${INFO_HASH}&peer_id=HTTPCLIENTPEERID00001&port=1`),
        announceFailure(
          `invalid param value HTTPCLIENTPEERID00001 for peer_id in too many bytes for peer id: got 21 bytes, expected 20 ${ANNOUNCE_LOCATION}`,
        ),
      );
      assert.match(
        fails(`info_hash=${INFO_HASH}&peer_id=abc&port=1`),
        /not enough bytes for peer id: got 3 bytes, expected 20/,
      );
    });

    it('invalid port, counters, event, compact and numwant values', () => {
      const cases: [string, string, string][] = [
        ['port', '65536', 'port'],
        ['port', '-1', 'port'],
        ['port', '', 'port'],
        ['port', '+', 'port'],
        ['port', '1.5', 'port'],
        ['port', '%31', 'port'],
        ['uploaded', '-1', 'uploaded'],
        ['downloaded', 'abc', 'downloaded'],
        ['left', '', 'left'],
        ['left', '18446744073709551616', 'left'],
        ['left', '100000000000000000000', 'left'],
        ['event', 'Started', 'event'],
        ['event', 'paused', 'event'],
        ['compact', '', 'compact'],
        ['compact', '2', 'compact'],
        ['compact', 'true', 'compact'],
        ['numwant', '-1', 'numwant'],
        ['numwant', '1.1', 'numwant'],
        ['numwant', '', 'numwant'],
        ['numwant', '4294967296', 'numwant'],
      ];
      for (const [name, value, reported] of cases) {
        const raw =
          name === 'port' ? `info_hash=${INFO_HASH}&peer_id=${PEER_ID}&port=${value}` : `${MANDATORY}&${name}=${value}`;
        assert.equal(
          fails(raw),
          announceFailure(`invalid param value ${value} for ${reported} in ${ANNOUNCE_LOCATION}`),
          `${name}=${value}`,
        );
      }
    });

    it('byte counters above i64::MAX overflow', () => {
      for (const value of ['9223372036854775808', '18446744073709551615', '+09223372036854775808']) {
        for (const name of ['uploaded', 'downloaded', 'left']) {
          assert.equal(
            fails(`${MANDATORY}&${name}=${value}`),
            announceFailure(`param value overflow ${value} for ${name} in ${ANNOUNCE_LOCATION}`),
          );
        }
      }
    });

    it('reports the first failing param in Torrust order', () => {
      assert.match(fails(`${MANDATORY}&numwant=x&downloaded=x&event=x`), /for downloaded in/);
      assert.match(fails(`${MANDATORY}&numwant=x&compact=x&event=x`), /for event in/);
      assert.match(fails(`info_hash=x&peer_id=x&port=x`), /for info_hash in/);
    });

    it('never throws on arbitrary query text', () => {
      const req = new HttpAnnounceRequest();
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (raw) => {
          const r = parseAnnounceRequest(raw, req);
          return r === null || r.startsWith('Bad request. Cannot parse query params');
        }),
      );
    });
  });
});
