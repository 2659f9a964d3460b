import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  encodeAnnounceRequest,
  encodeConnectRequest,
  encodeScrapeRequest,
  decodeResponse,
  type AnnounceResponse,
  type ResponseDecodeResult,
} from './client.js';
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ACTION_ERROR,
  ACTION_SCRAPE,
  EVENT_STARTED,
  I32_MAX,
  MAX_PACKET_SIZE,
  OFFSET_INFO_HASH,
  OFFSET_PEER_ID,
} from './constants.js';
import { Bep15Request, parseRequest, scrapeInfoHashOffset } from './request.js';
import {
  writeAnnounceHeader,
  writeConnectResponse,
  writeErrorResponseText,
  writePeerV4,
  writePeerV6,
  writeScrapeEntry,
  writeScrapeHeader,
} from './response.js';

const INFO_HASH = Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex');
const PEER_ID = Buffer.from('-qB00000000000000001');

function ok(result: ResponseDecodeResult) {
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.response;
}

describe('BEP 15 client codec', () => {
  describe('request encoding', () => {
    it('encodes a connect request byte for byte', () => {
      assert.equal(
        encodeConnectRequest(-888840697).toString('hex'),
        '0000041727101980' + // protocol_id
          '00000000' + // action = connect
          'cb055e07', // transaction_id
      );
    });

    it('encodes an announce request byte for byte', () => {
      const b = encodeAnnounceRequest({
        connectionId: 0x0102030405060708n,
        transactionId: 1111,
        infoHash: INFO_HASH,
        peerId: PEER_ID,
        downloaded: 1024,
        left: -1n,
        uploaded: 2n ** 32n,
        event: EVENT_STARTED,
        ipAddress: Uint8Array.of(192, 168, 0, 1),
        key: 0xdeadbeef,
        numWant: -1,
        port: 6881,
      });
      assert.equal(
        b.toString('hex'),
        [
          '0102030405060708', // connection_id
          '00000001', // action = announce
          '00000457', // transaction_id
          INFO_HASH.toString('hex'), // info_hash
          PEER_ID.toString('hex'), // peer_id
          '0000000000000400', // downloaded
          'ffffffffffffffff', // left
          '0000000100000000', // uploaded
          '00000002', // event = started
          'c0a80001', // IP address
          'deadbeef', // key
          'ffffffff', // num_want
          '1ae1', // port
        ].join(''),
      );
    });

    it('defaults downloaded/left/uploaded/event/ip/key to 0 and num_want to -1', () => {
      const b = encodeAnnounceRequest({
        connectionId: Buffer.alloc(8, 1),
        transactionId: 1,
        infoHash: INFO_HASH,
        peerId: PEER_ID,
        port: 1,
      });
      assert.equal(b.length, 98);
      assert.equal(b.toString('hex', 56, 92), '00'.repeat(36));
      assert.equal(b.readInt32BE(92), -1);
    });

    it('rejects arguments of the wrong size', () => {
      const base = { connectionId: 1n, transactionId: 1, infoHash: INFO_HASH, peerId: PEER_ID, port: 1 };
      assert.throws(() => encodeAnnounceRequest({ ...base, infoHash: Buffer.alloc(19) }), RangeError);
      assert.throws(() => encodeAnnounceRequest({ ...base, peerId: Buffer.alloc(21) }), RangeError);
      assert.throws(() => encodeAnnounceRequest({ ...base, port: 70000 }), RangeError);
      assert.throws(() => encodeAnnounceRequest({ ...base, connectionId: Buffer.alloc(7) }), RangeError);
    });

    it('encodes a scrape request', () => {
      const b = encodeScrapeRequest(-1n, 5, [INFO_HASH, Buffer.alloc(20, 0xaa)]);
      assert.equal(b.toString('hex', 0, 16), 'ffffffffffffffff' + '00000002' + '00000005');
      assert.deepEqual(b.subarray(16, 36), INFO_HASH);
      assert.equal(b.length, 56);
    });
  });

  describe('response decoding', () => {
    const out = Buffer.alloc(MAX_PACKET_SIZE);

    it('decodes a connect response', () => {
      const n = writeConnectResponse(out, 7, Buffer.from('fffffffffffffffe', 'hex'));
      const r = ok(decodeResponse(out.subarray(0, n)));
      assert.equal(r.action, ACTION_CONNECT);
      if (r.action !== ACTION_CONNECT) return;
      assert.equal(r.transactionId, 7);
      assert.equal(r.connectionId.toString('hex'), 'fffffffffffffffe');
      assert.equal(r.connectionIdValue, -2n);
    });

    it('decodes an IPv4 announce response', () => {
      let o = writeAnnounceHeader(out, 9, 120, 1, 2);
      o = writePeerV4(out, o, Uint8Array.of(127, 0, 0, 1), 0, 51289);
      const r = ok(decodeResponse(out.subarray(0, o), 6)) as AnnounceResponse;
      assert.equal(r.action, ACTION_ANNOUNCE);
      assert.deepEqual(
        { tx: r.transactionId, interval: r.interval, leechers: r.leechers, seeders: r.seeders },
        { tx: 9, interval: 120, leechers: 1, seeders: 2 },
      );
      assert.deepEqual(
        r.peers.map((p) => `${p.ip}:${p.port}`),
        ['127.0.0.1:51289'],
      );
    });

    it('decodes an IPv6 announce response', () => {
      let o = writeAnnounceHeader(out, 9, 120, 0, 1);
      o = writePeerV6(out, o, Buffer.from('00000000000000000000000000000001', 'hex'), 0, 80);
      const r = ok(decodeResponse(out.subarray(0, o), 18)) as AnnounceResponse;
      assert.deepEqual(
        r.peers.map((p) => [p.ip, p.port]),
        [['::1', 80]],
      );
    });

    it('decodes a scrape response and an error response', () => {
      let o = writeScrapeHeader(out, 3);
      o = writeScrapeEntry(out, o, 1, 2, 3);
      const s = ok(decodeResponse(out.subarray(0, o)));
      assert.deepEqual(s, {
        action: ACTION_SCRAPE,
        transactionId: 3,
        torrentStats: [{ seeders: 1, completed: 2, leechers: 3 }],
      });
      const n = writeErrorResponseText(out, 4, 'bad thing');
      assert.deepEqual(ok(decodeResponse(out.subarray(0, n))), {
        action: ACTION_ERROR,
        transactionId: 4,
        message: 'bad thing',
      });
    });

    it('returns typed errors for malformed responses', () => {
      const cases: [string, string][] = [
        ['000000', 'too-short'],
        ['00000000 00000001 0000', 'too-short'], // connect of 10 bytes
        ['00000001 00000001 00000000 00000000', 'too-short'], // announce of 16 bytes
        ['00000001 00000001 00000078 00000000 00000000 7f00000111', 'bad-length'], // 5 peer bytes
        ['00000002 00000001 00000001', 'bad-length'], // 4 scrape bytes
        ['00000009 00000001', 'unknown-action'],
      ];
      for (const [h, code] of cases) {
        const r = decodeResponse(Buffer.from(h.replace(/\s/g, ''), 'hex'));
        assert.equal(r.ok, false, h);
        if (!r.ok) assert.equal(r.error.code, code, h);
      }
    });

    it('never throws on arbitrary bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom<6 | 18>(6, 18), (bytes, size) => {
          const r = decodeResponse(bytes, size);
          return typeof r.ok === 'boolean';
        }),
      );
    });
  });

  describe('round trips', () => {
    const bytes20 = fc.uint8Array({ minLength: 20, maxLength: 20 });
    const i32 = fc.integer({ min: -2147483648, max: 2147483647 });
    const i64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

    it('client announce → server parse keeps every field', () => {
      const req = new Bep15Request();
      fc.assert(
        fc.property(
          fc.record({
            connectionId: fc.uint8Array({ minLength: 8, maxLength: 8 }),
            transactionId: i32,
            infoHash: bytes20,
            peerId: bytes20,
            downloaded: i64,
            left: i64,
            uploaded: i64,
            event: fc.integer({ min: 0, max: 3 }),
            ipAddress: fc.integer({ min: 0, max: 0xffffffff }),
            key: i32,
            numWant: i32,
            port: fc.integer({ min: 1, max: 0xffff }),
          }),
          (p) => {
            const b = encodeAnnounceRequest(p);
            assert.equal(parseRequest(b, req), ACTION_ANNOUNCE);
            assert.equal(req.transactionId, p.transactionId);
            assert.deepEqual(b.subarray(0, 8), Buffer.from(p.connectionId));
            assert.equal(req.connectionIdHigh, Buffer.from(p.connectionId).readInt32BE(0));
            assert.equal(req.connectionIdLow, Buffer.from(p.connectionId).readInt32BE(4));
            assert.deepEqual(b.subarray(OFFSET_INFO_HASH, OFFSET_INFO_HASH + 20), Buffer.from(p.infoHash));
            assert.deepEqual(b.subarray(OFFSET_PEER_ID, OFFSET_PEER_ID + 20), Buffer.from(p.peerId));
            assert.equal(req.downloaded, Number(p.downloaded));
            assert.equal(req.left, Number(p.left));
            assert.equal(Math.sign(req.left), Math.sign(Number(p.left)));
            assert.equal(req.uploaded, Number(p.uploaded));
            assert.equal(req.event, p.event);
            assert.equal(req.ipAddress, p.ipAddress);
            assert.equal(req.key, p.key);
            assert.equal(req.numWant, p.numWant);
            assert.equal(req.port, p.port);
          },
        ),
      );
    });

    it('client connect and scrape → server parse', () => {
      const req = new Bep15Request();
      fc.assert(
        fc.property(i32, fc.array(bytes20, { minLength: 1, maxLength: 100 }), (tx, hashes) => {
          assert.equal(parseRequest(encodeConnectRequest(tx), req), ACTION_CONNECT);
          assert.equal(req.transactionId, tx);
          assert.equal(parseRequest(encodeScrapeRequest(1n, tx, hashes), req), ACTION_SCRAPE);
          assert.equal(req.transactionId, tx);
          assert.equal(req.infoHashCount, Math.min(74, hashes.length));
          for (let i = 0; i < req.infoHashCount; i++) {
            const o = scrapeInfoHashOffset(i);
            assert.deepEqual(req.packet.subarray(o, o + 20), Buffer.from(hashes[i]));
          }
        }),
      );
    });

    it('server announce/scrape/connect/error → client decode', () => {
      const out = Buffer.alloc(MAX_PACKET_SIZE);
      const count = fc.integer({ min: 0, max: I32_MAX });
      const peer4 = fc.record({
        addr: fc.uint8Array({ minLength: 4, maxLength: 4 }),
        port: fc.integer({ min: 0, max: 65535 }),
      });
      const peer6 = fc.record({
        addr: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        port: fc.integer({ min: 0, max: 65535 }),
      });
      fc.assert(
        fc.property(
          i32,
          count,
          count,
          count,
          fc.array(peer4, { maxLength: 74 }),
          fc.array(peer6, { maxLength: 74 }),
          (tx, interval, leechers, seeders, v4, v6) => {
            let o = writeAnnounceHeader(out, tx, interval, leechers, seeders);
            for (const p of v4) o = writePeerV4(out, o, p.addr, 0, p.port);
            const r4 = ok(decodeResponse(out.subarray(0, o), 6)) as AnnounceResponse;
            assert.deepEqual(
              [r4.transactionId, r4.interval, r4.leechers, r4.seeders],
              [tx, interval, leechers, seeders],
            );
            assert.deepEqual(
              r4.peers.map((p) => [[...p.address], p.port]),
              v4.map((p) => [[...p.addr], p.port]),
            );
            o = writeAnnounceHeader(out, tx, interval, leechers, seeders);
            for (const p of v6) o = writePeerV6(out, o, p.addr, 0, p.port);
            const r6 = ok(decodeResponse(out.subarray(0, o), 18)) as AnnounceResponse;
            assert.deepEqual(
              r6.peers.map((p) => [[...p.address], p.port]),
              v6.map((p) => [[...p.addr], p.port]),
            );
          },
        ),
      );
      fc.assert(
        fc.property(i32, fc.array(fc.tuple(count, count, count), { maxLength: 74 }), fc.string(), (tx, stats, text) => {
          let o = writeScrapeHeader(out, tx);
          for (const [s, c, l] of stats) o = writeScrapeEntry(out, o, s, c, l);
          const r = ok(decodeResponse(out.subarray(0, o)));
          assert.deepEqual(r, {
            action: ACTION_SCRAPE,
            transactionId: tx,
            torrentStats: stats.map(([seeders, completed, leechers]) => ({ seeders, completed, leechers })),
          });
          const n = writeErrorResponseText(out, tx, text);
          const e = ok(decodeResponse(out.subarray(0, n)));
          assert.deepEqual(e, { action: ACTION_ERROR, transactionId: tx, message: Buffer.from(text).toString() });
        }),
      );
      fc.assert(
        fc.property(i32, fc.uint8Array({ minLength: 8, maxLength: 8 }), (tx, id) => {
          const n = writeConnectResponse(out, tx, id);
          const r = ok(decodeResponse(out.subarray(0, n)));
          assert.equal(r.action, ACTION_CONNECT);
          if (r.action === ACTION_CONNECT) {
            assert.equal(r.transactionId, tx);
            assert.deepEqual(r.connectionId, Buffer.from(id));
          }
        }),
      );
    });
  });
});
