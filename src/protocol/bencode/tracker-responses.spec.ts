import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BencodeDictionary, decodeBencode } from './decode.js';
import { encodeBencode } from './encode.js';
import {
  AnnounceResponseWriter,
  ScrapeResponseWriter,
  encodeAnnounceResponse,
  encodeFailureResponse,
  encodeScrapeResponse,
} from './tracker-responses.js';
import { formatIPv4, formatIPv6 } from '../ip-text.js';

const latin1 = (b: Buffer) => b.toString('latin1');
const id = (text: string) => Buffer.from(text, 'latin1');

describe('HTTP tracker bencoded responses', () => {
  describe('failure', () => {
    it('encodes d14:failure reason<len>:<text>e', () => {
      assert.equal(latin1(encodeFailureResponse('Oops')), 'd14:failure reason4:Oopse');
      assert.equal(latin1(encodeFailureResponse('')), 'd14:failure reason0:e');
    });

    it('counts UTF-8 bytes, not characters', () => {
      const body = encodeFailureResponse('clé 🔑');
      assert.deepEqual(body, Buffer.concat([id('d14:failure reason9:'), Buffer.from('clé 🔑'), id('e')]));
      const d = decodeBencode(body) as BencodeDictionary;
      assert.equal(d.getString('failure reason'), 'clé 🔑');
    });

    it('matches the generic encoder', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (text) => {
          assert.deepEqual(encodeFailureResponse(text), encodeBencode({ 'failure reason': text }));
        }),
      );
    });
  });

  describe('announce', () => {
    // src/servers/http/v1/responses/announce.rs test in Torrust (http-tracker.md section 7)
    it('writes the dictionary form byte for byte', () => {
      const body = encodeAnnounceResponse(
        {
          complete: 333,
          incomplete: 444,
          interval: 111,
          minInterval: 222,
          peers: [
            { address: Uint8Array.of(0x69, 0x69, 0x69, 0x69), port: 0x7070, peerId: id('-qB00000000000000001') },
            { address: Buffer.from('6969'.repeat(8), 'hex'), port: 0x7070, peerId: id('-qB00000000000000002') },
          ],
        },
        false,
      );
      assert.equal(
        latin1(body),
        'd8:completei333e10:incompletei444e8:intervali111e12:min intervali222e5:peersld2:ip15:105.105.105.1057:peer id20:-qB000000000000000014:porti28784eed2:ip39:6969:6969:6969:6969:6969:6969:6969:69697:peer id20:-qB000000000000000024:porti28784eeee',
      );
    });

    it('writes the compact form byte for byte', () => {
      const body = encodeAnnounceResponse(
        {
          complete: 333,
          incomplete: 444,
          interval: 111,
          minInterval: 222,
          peers: [
            { address: id('iiii'), port: 0x7070, peerId: Buffer.alloc(20) },
            { address: id('iiiiiiiiiiiiiiii'), port: 0x7070, peerId: Buffer.alloc(20) },
          ],
        },
        true,
      );
      assert.equal(
        latin1(body),
        'd8:completei333e10:incompletei444e8:intervali111e12:min intervali222e5:peers6:iiiipp6:peers618:iiiiiiiiiiiiiiiippe',
      );
    });

    it('always writes both peers and peers6 in compact form, and an empty list otherwise', () => {
      const base = { complete: 0, incomplete: 0, interval: 120, minInterval: 60, peers: [] };
      assert.equal(
        latin1(encodeAnnounceResponse(base, true)),
        'd8:completei0e10:incompletei0e8:intervali120e12:min intervali60e5:peers0:6:peers60:e',
      );
      assert.equal(
        latin1(encodeAnnounceResponse(base, false)),
        'd8:completei0e10:incompletei0e8:intervali120e12:min intervali60e5:peerslee',
      );
    });

    it('formats IPv6 peers in RFC 5952 form and mapped addresses as ::ffff:a.b.c.d', () => {
      const w = new AnnounceResponseWriter(16);
      w.begin(false, 1, 0, 1, 1);
      w.addPeer(6, Buffer.from('20010db8000000000000000000000001', 'hex'), 0, 1, Buffer.alloc(20, 0x41), 0);
      w.addPeer(6, Buffer.from('00000000000000000000ffff7f000001', 'hex'), 0, 2, Buffer.alloc(20, 0x42), 0);
      const d = decodeBencode(w.finish(), { requireSortedKeys: true }) as BencodeDictionary;
      const peers = d.getList('peers') as BencodeDictionary[];
      assert.deepEqual(
        peers.map((p) => p.getString('ip')),
        ['2001:db8::1', '::ffff:127.0.0.1'],
      );
    });

    it('reuses one writer across requests and grows as needed', () => {
      const w = new AnnounceResponseWriter(16);
      for (const compact of [true, false, true]) {
        w.begin(compact, 1, 2, 3, 4);
        for (let i = 0; i < 300; i++) {
          w.addPeerV4(Uint8Array.of(10, 0, i >> 8, i & 255), 0, i, Buffer.alloc(20, i), 0);
          w.addPeerV6(Buffer.alloc(16, i), 0, i, Buffer.alloc(20, i), 0);
        }
        const d = decodeBencode(w.finish(), { requireSortedKeys: true }) as BencodeDictionary;
        if (compact) {
          assert.equal(d.getBytes('peers')!.length, 300 * 6);
          assert.equal(d.getBytes('peers6')!.length, 300 * 18);
        } else {
          assert.equal(d.getList('peers')!.length, 600);
        }
      }
    });

    it('takes address and peer id at offsets inside bigger buffers', () => {
      const w = new AnnounceResponseWriter();
      w.begin(false, 0, 0, 0, 0);
      const pool = Buffer.alloc(64, 0);
      pool.set([192, 0, 2, 7], 10);
      pool.write('-TR3000-abcdefghijkl', 30, 'latin1');
      w.addPeerV4(pool, 10, 51413, pool, 30);
      const peer = (decodeBencode(w.finish()) as BencodeDictionary).getList('peers')![0] as BencodeDictionary;
      assert.equal(peer.getString('ip'), '192.0.2.7');
      assert.equal(peer.getString('peer id'), '-TR3000-abcdefghijkl');
      assert.equal(peer.getNumber('port'), 51413);
    });

    it('property: both forms decode to the given counts and peers, with sorted keys', () => {
      const peer = fc.record({
        v6: fc.boolean(),
        addr: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        port: fc.integer({ min: 0, max: 65535 }),
        peerId: fc.uint8Array({ minLength: 20, maxLength: 20 }),
      });
      const count = fc.nat({ max: 2 ** 40 });
      const w = new AnnounceResponseWriter(64);
      fc.assert(
        fc.property(fc.array(peer, { maxLength: 30 }), count, count, count, count, (peers, c, i, iv, mi) => {
          for (const compact of [false, true]) {
            w.begin(compact, c, i, iv, mi);
            for (const p of peers) w.addPeer(p.v6 ? 6 : 4, p.addr, 0, p.port, p.peerId, 0);
            const d = decodeBencode(w.finish(), { requireSortedKeys: true }) as BencodeDictionary;
            assert.deepEqual(
              [d.get('complete'), d.get('incomplete'), d.get('interval'), d.get('min interval')],
              [c, i, iv, mi],
            );
            if (compact) {
              const v4 = Buffer.concat(
                peers.filter((p) => !p.v6).map((p) => Buffer.concat([p.addr.subarray(0, 4), u16(p.port)])),
              );
              const v6 = Buffer.concat(peers.filter((p) => p.v6).map((p) => Buffer.concat([p.addr, u16(p.port)])));
              assert.deepEqual(d.getBytes('peers'), v4);
              assert.deepEqual(d.getBytes('peers6'), v6);
            } else {
              const list = d.getList('peers') as BencodeDictionary[];
              assert.deepEqual(
                list.map((x) => [x.getString('ip'), x.getBytes('peer id'), x.getNumber('port')]),
                peers.map((p) => [p.v6 ? formatIPv6(p.addr) : formatIPv4(p.addr), Buffer.from(p.peerId), p.port]),
              );
            }
          }
        }),
      );
    });
  });

  describe('scrape', () => {
    const hash = (fill: number) => Buffer.alloc(20, fill);

    it('writes files keyed by raw hash with complete/downloaded/incomplete', () => {
      const body = encodeScrapeResponse([{ infoHash: hash(0x41), complete: 1, downloaded: 2, incomplete: 3 }]);
      assert.equal(latin1(body), `d5:filesd20:${'A'.repeat(20)}d8:completei1e10:downloadedi2e10:incompletei3eeee`);
    });

    it('writes an empty files dictionary for no entries', () => {
      assert.equal(latin1(encodeScrapeResponse([])), 'd5:filesdee');
    });

    it('sorts entries by raw bytes and collapses duplicates', () => {
      const body = encodeScrapeResponse([
        { infoHash: hash(0xff), complete: 1, downloaded: 0, incomplete: 0 },
        { infoHash: hash(0x00), complete: 2, downloaded: 0, incomplete: 0 },
        { infoHash: hash(0x80), complete: 3, downloaded: 0, incomplete: 0 },
        { infoHash: hash(0x00), complete: 2, downloaded: 0, incomplete: 0 },
      ]);
      const files = (decodeBencode(body, { requireSortedKeys: true }) as BencodeDictionary).getDictionary('files')!;
      assert.deepEqual(
        files.keys().map((k) => k[0]),
        [0x00, 0x80, 0xff],
      );
      assert.equal(files.getDictionary(hash(0x80))!.getNumber('complete'), 3);
    });

    it('property: matches the generic encoder for any set of entries', () => {
      const w = new ScrapeResponseWriter(2);
      const entry = fc.record({
        infoHash: fc.uint8Array({ minLength: 20, maxLength: 20 }),
        complete: fc.nat(),
        downloaded: fc.nat(),
        incomplete: fc.nat(),
      });
      fc.assert(
        fc.property(fc.array(entry, { maxLength: 40 }), (entries) => {
          w.begin();
          const withDupes = [...entries, ...entries.slice(0, 3)];
          for (const e of withDupes) w.add(e.infoHash, 0, e.complete, e.downloaded, e.incomplete);
          const firstByHash = new Map<string, (typeof entries)[number]>();
          for (const e of withDupes)
            if (!firstByHash.has(Buffer.from(e.infoHash).toString('hex')))
              firstByHash.set(Buffer.from(e.infoHash).toString('hex'), e);
          const expected = encodeBencode({
            files: new Map(
              [...firstByHash.values()].map((e) => [
                e.infoHash,
                { complete: e.complete, downloaded: e.downloaded, incomplete: e.incomplete },
              ]),
            ),
          });
          assert.deepEqual(w.finish(), expected);
        }),
      );
    });
  });
});

function u16(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(port);
  return b;
}
