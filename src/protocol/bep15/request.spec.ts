import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ACTION_SCRAPE,
  EVENT_STARTED,
  EVENT_STOPPED,
  MAX_PACKET_SIZE,
  MAX_SCRAPE_TORRENTS,
  OFFSET_INFO_HASH,
  OFFSET_PEER_ID,
  PROTOCOL_ID_BYTES,
} from './constants.js';
import {
  Bep15ParseError,
  Bep15Request,
  parseErrorEchoesTransactionId,
  parseErrorMessage,
  parseErrorMessageBytes,
  parseErrorReason,
  parseRequest,
  scrapeInfoHashOffset,
} from './request.js';

/** Concatenates hex field strings (spaces ignored) into one packet. */
function packet(...fields: string[]): Buffer {
  return Buffer.from(fields.join('').replace(/\s/g, ''), 'hex');
}

const INFO_HASH = '9c38422213e30bff212b30c360d26f9a02136422';
const PEER_ID = Buffer.from('-qB00000000000000001').toString('hex');

// BEP 15 connect request, field by field.
const CONNECT = packet(
  '0000041727101980', // off 0, 8 bytes: protocol_id (magic 0x41727101980)
  '00000000', //         off 8, 4 bytes: action = 0 (connect)
  'cb05 5e07', //        off 12, 4 bytes: transaction_id = -888840697 (Torrust's client)
);

// BEP 15 announce request, field by field (98 bytes).
const ANNOUNCE = packet(
  '0102030405060708', //  off 0, 8: connection_id
  '00000001', //          off 8, 4: action = 1 (announce)
  '00000457', //          off 12, 4: transaction_id = 1111
  INFO_HASH, //           off 16, 20: info_hash
  PEER_ID, //             off 36, 20: peer_id
  '0000000000000400', //  off 56, 8: downloaded = 1024
  'ffffffffffffffff', //  off 64, 8: left = -1 (negative → seeder)
  '0000000100000000', //  off 72, 8: uploaded = 2^32
  '00000002', //          off 80, 4: event = 2 (started)
  'c0a80001', //          off 84, 4: IP address = 192.168.0.1 (ignored by Torrust)
  'deadbeef', //          off 88, 4: key
  'ffffffff', //          off 92, 4: num_want = -1 (default)
  '1ae1', //              off 96, 2: port = 6881
);

// BEP 15 scrape request with two info hashes.
const SCRAPE = packet(
  '0102030405060708', //  off 0, 8: connection_id
  '00000002', //          off 8, 4: action = 2 (scrape)
  'fffffffe', //          off 12, 4: transaction_id = -2
  INFO_HASH, //           off 16, 20: info_hash #1
  'aa'.repeat(20), //     off 36, 20: info_hash #2
);

function parse(buf: Buffer): { code: number; req: Bep15Request } {
  const req = new Bep15Request();
  return { code: parseRequest(buf, req), req };
}

function withTx(buf: Buffer, tx: number): Buffer {
  const b = Buffer.from(buf);
  b.writeInt32BE(tx, 12);
  return b;
}

function expectError(buf: Buffer, code: Bep15ParseError, reason: string, tx: number): void {
  const r = parse(buf);
  assert.equal(r.code, code);
  assert.equal(parseErrorReason(code), reason);
  assert.equal(parseErrorMessage(code), `error parsing request: ${reason}`);
  assert.equal(r.req.transactionId, tx);
}

describe('BEP 15 request parsing (server side)', () => {
  describe('golden packets', () => {
    it('decodes a connect request', () => {
      assert.equal(CONNECT.length, 16);
      assert.deepEqual(CONNECT.subarray(0, 8), PROTOCOL_ID_BYTES);
      const { code, req } = parse(CONNECT);
      assert.equal(code, ACTION_CONNECT);
      assert.equal(req.action, ACTION_CONNECT);
      assert.equal(req.transactionId, -888840697);
    });

    it('ignores bytes after the 16 of a connect request', () => {
      const { code, req } = parse(Buffer.concat([CONNECT, Buffer.alloc(10, 7)]));
      assert.equal(code, ACTION_CONNECT);
      assert.equal(req.transactionId, -888840697);
    });

    it('decodes an announce request field by field', () => {
      assert.equal(ANNOUNCE.length, 98);
      const { code, req } = parse(ANNOUNCE);
      assert.equal(code, ACTION_ANNOUNCE);
      assert.equal(req.transactionId, 1111);
      assert.equal(req.connectionIdHigh, 0x01020304);
      assert.equal(req.connectionIdLow, 0x05060708);
      assert.equal(req.packet.toString('hex', OFFSET_INFO_HASH, OFFSET_INFO_HASH + 20), INFO_HASH);
      assert.equal(req.packet.toString('latin1', OFFSET_PEER_ID, OFFSET_PEER_ID + 20), '-qB00000000000000001');
      assert.equal(req.downloaded, 1024);
      assert.equal(req.left, -1);
      assert.equal(req.uploaded, 2 ** 32);
      assert.equal(req.event, EVENT_STARTED);
      assert.equal(req.ipAddress, 0xc0a80001);
      assert.equal(req.key, 0xdeadbeef | 0);
      assert.equal(req.numWant, -1);
      assert.equal(req.port, 6881);
    });

    it('ignores BEP 41 option bytes after the 98 of an announce', () => {
      const withOptions = Buffer.concat([ANNOUNCE, packet('02 05 2f616e6e6f', '01', '00')]);
      const { code, req } = parse(withOptions);
      assert.equal(code, ACTION_ANNOUNCE);
      assert.equal(req.port, 6881);
    });

    it('decodes a scrape request with its hashes in request order', () => {
      const { code, req } = parse(SCRAPE);
      assert.equal(code, ACTION_SCRAPE);
      assert.equal(req.transactionId, -2);
      assert.equal(req.infoHashCount, 2);
      assert.equal(req.packet.toString('hex', scrapeInfoHashOffset(0), scrapeInfoHashOffset(0) + 20), INFO_HASH);
      assert.equal(req.packet.toString('hex', scrapeInfoHashOffset(1), scrapeInfoHashOffset(1) + 20), 'aa'.repeat(20));
    });

    it('reads big and negative i64 counters as numbers with the sign kept', () => {
      const b = Buffer.from(ANNOUNCE);
      b.writeBigInt64BE(-(2n ** 40n), 56);
      b.writeBigInt64BE(2n ** 62n, 64);
      b.writeBigInt64BE(-(2n ** 63n), 72);
      const { req } = parse(b);
      assert.equal(req.downloaded, -(2 ** 40));
      assert.equal(req.left, 2 ** 62);
      assert.equal(req.uploaded, -(2 ** 63));
    });

    it('accepts every event 0..3', () => {
      for (let e = 0; e <= EVENT_STOPPED; e++) {
        const b = Buffer.from(ANNOUNCE);
        b.writeInt32BE(e, 80);
        const { code, req } = parse(b);
        assert.equal(code, ACTION_ANNOUNCE);
        assert.equal(req.event, e);
      }
    });
  });

  describe('errors (error-texts.md reasons and transaction-id rule)', () => {
    it('fewer than 12 bytes: "Couldn\'t parse action", tx 0', () => {
      for (let n = 0; n < 12; n++) {
        expectError(CONNECT.subarray(0, n), Bep15ParseError.CouldntParseAction, "Couldn't parse action", 0);
      }
    });

    it('connect without the magic: "Protocol identifier missing", tx 0', () => {
      const b = Buffer.from(CONNECT);
      b[7] ^= 1;
      expectError(b, Bep15ParseError.ProtocolIdentifierMissing, 'Protocol identifier missing', 0);
    });

    it('connect of 12..15 bytes: "invalid data", tx 0', () => {
      for (let n = 12; n < 16; n++) {
        expectError(CONNECT.subarray(0, n), Bep15ParseError.InvalidData, 'invalid data', 0);
      }
    });

    it('announce shorter than 98 bytes: "invalid data", tx 0', () => {
      for (let n = 12; n < 98; n++) {
        expectError(ANNOUNCE.subarray(0, n), Bep15ParseError.InvalidData, 'invalid data', 0);
      }
    });

    it('announce port 0: "Port can\'t be 0", tx echoed', () => {
      const b = Buffer.from(ANNOUNCE);
      b.writeUInt16BE(0, 96);
      expectError(b, Bep15ParseError.PortZero, "Port can't be 0", 1111);
    });

    it('announce event outside 0..3: "Invalid announce event", tx echoed', () => {
      for (const e of [4, 5, 0x7fffffff, -1, -2147483648]) {
        const b = Buffer.from(ANNOUNCE);
        b.writeInt32BE(e, 80);
        expectError(b, Bep15ParseError.InvalidAnnounceEvent, 'Invalid announce event', 1111);
      }
    });

    it('announce with port 0 and a bad event reports the port first (aquatic order)', () => {
      const b = Buffer.from(ANNOUNCE);
      b.writeUInt16BE(0, 96);
      b.writeInt32BE(9, 80);
      expectError(b, Bep15ParseError.PortZero, "Port can't be 0", 1111);
    });

    it('scrape without any hash: "Full scrapes are not allowed", tx echoed', () => {
      expectError(SCRAPE.subarray(0, 16), Bep15ParseError.FullScrapeNotAllowed, 'Full scrapes are not allowed', -2);
    });

    it('scrape hash bytes not a multiple of 20: "Invalid info hash list", tx echoed', () => {
      for (const n of [17, 35, 37, 55]) {
        expectError(SCRAPE.subarray(0, n), Bep15ParseError.InvalidInfoHashList, 'Invalid info hash list', -2);
      }
    });

    it('scrape of 12..15 bytes: "invalid data", tx 0', () => {
      for (let n = 12; n < 16; n++) {
        expectError(SCRAPE.subarray(0, n), Bep15ParseError.InvalidData, 'invalid data', 0);
      }
    });

    it('unknown actions, 3 included: "Invalid action", tx 0', () => {
      for (const a of [3, 4, 255, -1, 0x7fffffff]) {
        const b = withTx(CONNECT, 77);
        b.writeInt32BE(a, 8);
        expectError(b, Bep15ParseError.InvalidAction, 'Invalid action', 0);
      }
    });

    it('knows which errors echo the transaction id', () => {
      const echoing: number[] = [
        Bep15ParseError.PortZero,
        Bep15ParseError.InvalidAnnounceEvent,
        Bep15ParseError.FullScrapeNotAllowed,
        Bep15ParseError.InvalidInfoHashList,
      ];
      for (const code of Object.values(Bep15ParseError)) {
        assert.equal(parseErrorEchoesTransactionId(code), echoing.includes(code), `code ${code}`);
      }
    });

    it('pre-encodes every message as UTF-8 bytes', () => {
      for (const code of Object.values(Bep15ParseError)) {
        assert.deepEqual(parseErrorMessageBytes(code), Buffer.from(parseErrorMessage(code)));
      }
    });
  });

  describe('scrape limits', () => {
    function scrapeOf(count: number): Buffer {
      const b = Buffer.alloc(16 + 20 * count);
      SCRAPE.copy(b, 0, 0, 16);
      for (let i = 0; i < count; i++) b.writeUInt32BE(i, 16 + 20 * i); // hash i starts with i
      return b;
    }

    it('answers at most 74 hashes, the first ones in request order', () => {
      for (const count of [74, 75, 100, 200]) {
        const { code, req } = parse(scrapeOf(count));
        assert.equal(code, ACTION_SCRAPE);
        assert.equal(req.infoHashCount, MAX_SCRAPE_TORRENTS);
        for (let i = 0; i < MAX_SCRAPE_TORRENTS; i++) assert.equal(req.packet.readUInt32BE(scrapeInfoHashOffset(i)), i);
      }
    });

    it("ignores bytes past 1496 as Torrust's receive buffer does", () => {
      const b = Buffer.concat([scrapeOf(80), Buffer.alloc(5)]);
      const { code, req } = parse(b);
      assert.equal(code, ACTION_SCRAPE);
      assert.equal(req.length, MAX_PACKET_SIZE);
      assert.equal(req.infoHashCount, 74);
    });
  });

  describe('robustness', () => {
    it('never throws for any length 0..200 with random content, and with each action at offset 8', () => {
      const req = new Bep15Request();
      let seed = 0x12345678;
      const rand = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed >>> 24;
      };
      for (let len = 0; len <= 200; len++) {
        for (let round = 0; round < 20; round++) {
          const b = Buffer.alloc(len);
          for (let i = 0; i < len; i++) b[i] = rand();
          for (const action of [undefined, 0, 1, 2, 3]) {
            if (action !== undefined && len >= 12) b.writeInt32BE(action, 8);
            const code = parseRequest(b, req);
            assert.ok(Number.isInteger(code) && code >= -8 && code <= 2, `len ${len} code ${code}`);
            if (code < 0) {
              assert.ok(parseErrorMessage(code as Bep15ParseError).startsWith('error parsing request: '));
              if (!parseErrorEchoesTransactionId(code as Bep15ParseError)) assert.equal(req.transactionId, 0);
            }
          }
        }
      }
    });

    it('property: any byte string parses to an action or an error code without throwing', () => {
      const req = new Bep15Request();
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 1600 }), fc.constantFrom(0, 1, 2, 3, 9), (bytes, action) => {
          const b = Buffer.from(bytes);
          if (b.length >= 12) b.writeInt32BE(action, 8);
          const code = parseRequest(b, req);
          return Number.isInteger(code) && code >= -8 && code <= 2;
        }),
      );
    });
  });
});
