import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeBencode, type BencodeInput } from '../../protocol/bencode/index.js';
import {
  announceQuery,
  announceUrl,
  bencodeToJson,
  defaultHttpAnnounceParams,
  failureReason,
  readAnnounceCompact,
  readAnnounceDictionary,
  readScrape,
  scrapeQuery,
  scrapeUrl,
  type Read,
} from './http-tracker-client.js';

const IH = Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex');
const IH_ENCODED = '%9C8B%22%13%E3%0B%FF%21%2B0%C3%60%D2o%9A%02%13d%22';

function value<T>(r: Read<T>): T {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.value;
}

function message<T>(r: Read<T>): string {
  assert.ok(!r.ok, 'expected the body to be rejected');
  return r.message;
}

const be = (v: BencodeInput) => encodeBencode(v);

describe('HTTP tracker client (Torrust http client)', () => {
  describe('requests', () => {
    it('builds the announce query byte for byte as Torrust does (parameters, order, encoding)', () => {
      assert.equal(
        announceQuery(defaultHttpAnnounceParams(IH)),
        `info_hash=${IH_ENCODED}&peer_addr=192.168.1.88&downloaded=0&uploaded=0` +
          '&peer_id=%2DqB00000000000000001&port=17548&left=0&event=completed&compact=0',
      );
    });

    it('uses event started for the newer CLI and leaves out unset event/compact', () => {
      assert.match(announceQuery(defaultHttpAnnounceParams(IH, 'started')), /&event=started&compact=0$/);
      const p = { ...defaultHttpAnnounceParams(IH), event: undefined, compact: undefined };
      assert.match(announceQuery(p), /&left=0$/);
    });

    it('repeats info_hash once per hash in the scrape query', () => {
      assert.equal(scrapeQuery([IH, Buffer.alloc(20, 0x41)]), `info_hash=${IH_ENCODED}&info_hash=${'A'.repeat(20)}`);
    });

    it('puts the queries on the announce and scrape endpoints', () => {
      const base = new URL('http://127.0.0.1:7070');
      assert.ok(
        announceUrl(base, defaultHttpAnnounceParams(IH)).startsWith(
          `http://127.0.0.1:7070/announce?info_hash=${IH_ENCODED}&`,
        ),
      );
      assert.equal(scrapeUrl(new URL('http://h/announce/KEY'), [IH]), `http://h/scrape/KEY?info_hash=${IH_ENCODED}`);
      assert.equal(scrapeUrl(base, []), 'http://127.0.0.1:7070/scrape');
    });
  });

  describe('readAnnounceDictionary', () => {
    const peer = { ip: '127.0.0.1', 'peer id': Buffer.from('-qB00000000000000001'), port: 17548 };
    const body = (extra: Record<string, BencodeInput> = {}) =>
      be({ complete: 1, incomplete: 0, interval: 120, 'min interval': 120, peers: [peer], ...extra });

    it('reads Torrust`s Announce: counts, min interval and dictionary peers with the peer id as bytes', () => {
      assert.deepEqual(value(readAnnounceDictionary(body({ 'tracker id': 'x' }))), {
        complete: 1,
        incomplete: 0,
        interval: 120,
        'min interval': 120,
        peers: [{ ip: '127.0.0.1', 'peer id': [...Buffer.from('-qB00000000000000001')], port: 17548 }],
      });
    });

    it('rejects compact peers, missing fields, negative counts and bad peers', () => {
      assert.match(message(readAnnounceDictionary(body({ peers: Buffer.alloc(6) }))), /not a list/);
      assert.match(
        message(readAnnounceDictionary(be({ complete: 1, incomplete: 0, interval: 1, peers: [] }))),
        /min interval/,
      );
      assert.match(message(readAnnounceDictionary(body({ complete: -1 }))), /out of range/);
      assert.match(message(readAnnounceDictionary(body({ peers: [{ ip: '1.2.3.4', port: 1 }] }))), /peer id/);
      assert.match(message(readAnnounceDictionary(body({ peers: [{ ...peer, port: 70000 }] }))), /port/);
      assert.match(message(readAnnounceDictionary(be({ 'failure reason': 'nope' }))), /missing field `complete`/);
      assert.match(message(readAnnounceDictionary(Buffer.from('<html>'))), /not bencoded/);
      assert.match(message(readAnnounceDictionary(be([1]))), /not a bencoded dictionary/);
    });
  });

  describe('readAnnounceCompact', () => {
    it('reads the compact form with peers as their raw bytes', () => {
      const peers = Buffer.from([127, 0, 0, 1, 0x1a, 0xe1]);
      assert.deepEqual(
        value(
          readAnnounceCompact(be({ complete: 2, incomplete: 1, interval: 60, 'min interval': 30, peers, peers6: '' })),
        ),
        { complete: 2, incomplete: 1, interval: 60, 'min interval': 30, peers: [127, 0, 0, 1, 0x1a, 0xe1] },
      );
      assert.match(
        message(readAnnounceCompact(be({ complete: 2, incomplete: 1, interval: 60, 'min interval': 30, peers: [] }))),
        /peers/,
      );
    });
  });

  describe('readScrape', () => {
    it('keys files by lowercase hex, in wire order', () => {
      const other = Buffer.alloc(20, 0xab);
      const files = new Map([
        [IH, { complete: 1, downloaded: 2, incomplete: 3 }],
        [other, { complete: 0, downloaded: 0, incomplete: 0 }],
      ]);
      const read = value(readScrape(be({ files })));
      assert.deepEqual(Object.keys(read), [IH.toString('hex'), other.toString('hex')]);
      assert.deepEqual(read[IH.toString('hex')], { complete: 1, downloaded: 2, incomplete: 3 });
    });

    it('is strict: exactly complete, downloaded, incomplete as integers under 20-byte keys', () => {
      const file = { complete: 1, downloaded: 2, incomplete: 3 };
      assert.match(
        message(readScrape(be({ files: new Map([[IH, { ...file, name: 'x' }]]) }))),
        /unexpected field `name`/,
      );
      assert.match(
        message(readScrape(be({ files: new Map([[IH, { complete: 1, incomplete: 3 }]]) }))),
        /missing field `downloaded`/,
      );
      assert.match(message(readScrape(be({ files: new Map([[IH, { ...file, complete: 'x' }]]) }))), /not an integer/);
      assert.match(message(readScrape(be({ files: new Map([[Buffer.alloc(4), file]]) }))), /not a 20-byte info-hash/);
      assert.match(message(readScrape(be({ 'failure reason': 'no' }))), /missing field `files`/);
    });
  });

  describe('fallback output', () => {
    it('converts bencode to JSON with UTF-8 text as strings and other bytes as <hex>…</hex>', () => {
      assert.deepEqual(
        bencodeToJson(be({ 'failure reason': 'not whitelisted', raw: Buffer.from([0xff, 0xfe]), n: [1] })),
        {
          'failure reason': 'not whitelisted',
          n: [1],
          raw: '<hex>fffe</hex>',
        },
      );
      assert.equal(bencodeToJson(Buffer.from('<html>')), null);
    });

    it('finds the failure reason of an error body', () => {
      assert.equal(failureReason(be({ 'failure reason': 'torrent not whitelisted' })), 'torrent not whitelisted');
      assert.equal(failureReason(be({ complete: 1 })), undefined);
      assert.equal(failureReason(Buffer.from('x')), undefined);
    });
  });
});
