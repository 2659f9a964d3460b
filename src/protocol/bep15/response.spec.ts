import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { I32_MAX, MAX_PACKET_SIZE } from './constants.js';
import { Bep15ParseError } from './request.js';
import {
  clampI32,
  writeAnnounceHeader,
  writeConnectResponse,
  writeConnectResponseParts,
  writeErrorResponse,
  writeErrorResponseText,
  writeParseErrorResponse,
  writePeerV4,
  writePeerV4FromInt,
  writePeerV6,
  writeScrapeEntry,
  writeScrapeHeader,
} from './response.js';

function hex(...fields: string[]): string {
  return fields.join('').replace(/\s/g, '');
}

function written(out: Buffer, n: number): string {
  return out.toString('hex', 0, n);
}

describe('BEP 15 response writing (server side)', () => {
  const out = Buffer.alloc(MAX_PACKET_SIZE);

  it('writes a connect response', () => {
    const id = Buffer.from('00112233445566778899', 'hex');
    const n = writeConnectResponse(out, -888840697, id, 1);
    assert.equal(
      written(out, n),
      hex(
        '00000000', //         off 0, 4: action = 0 (connect)
        'cb055e07', //         off 4, 4: transaction_id = -888840697 (echoed)
        '1122334455667788', // off 8, 8: connection_id
      ),
    );
  });

  it('writes a connect response from two i32 halves', () => {
    const n = writeConnectResponseParts(out, 123, -1, 0x01020304);
    assert.equal(written(out, n), hex('00000000', '0000007b', 'ffffffff', '01020304'));
  });

  it('writes an announce header followed by IPv4 peers', () => {
    let o = writeAnnounceHeader(out, 1111, 120, 3, 5);
    o = writePeerV4(out, o, Uint8Array.of(9, 127, 0, 0, 1), 1, 6881);
    o = writePeerV4FromInt(out, o, 0xc0a80001, 51413);
    assert.equal(
      written(out, o),
      hex(
        '00000001', // off 0, 4: action = 1 (announce)
        '00000457', // off 4, 4: transaction_id = 1111
        '00000078', // off 8, 4: interval = 120
        '00000003', // off 12, 4: leechers = 3
        '00000005', // off 16, 4: seeders = 5
        '7f000001 1ae1', // off 20, 6: peer 127.0.0.1:6881
        'c0a80001 c8d5', // off 26, 6: peer 192.168.0.1:51413
      ),
    );
  });

  it('writes IPv6 peers as 16 address bytes and a port', () => {
    let o = writeAnnounceHeader(out, 1, 60, 0, 1);
    const addr = Buffer.from('20010db8000000000000000000000001', 'hex');
    o = writePeerV6(out, o, addr, 0, 443);
    assert.equal(written(out, o).slice(40), '20010db8000000000000000000000001' + '01bb');
    assert.equal(o, 38);
  });

  it('writes a scrape response: seeders, completed, leechers per torrent', () => {
    let o = writeScrapeHeader(out, -2);
    o = writeScrapeEntry(out, o, 1, 2, 3);
    o = writeScrapeEntry(out, o, 0, 0, 0);
    assert.equal(
      written(out, o),
      hex(
        '00000002', // off 0, 4: action = 2 (scrape)
        'fffffffe', // off 4, 4: transaction_id = -2
        '00000001 00000002 00000003', // off 8, 12: seeders 1, completed 2, leechers 3
        '00000000 00000000 00000000', // off 20, 12: unknown torrent
      ),
    );
  });

  it('writes an error response without length prefix or NUL', () => {
    const n = writeErrorResponse(out, 42, Buffer.from('connection id could not be verified'));
    assert.equal(n, 8 + 35);
    assert.equal(out.readInt32BE(0), 3);
    assert.equal(out.readInt32BE(4), 42);
    assert.equal(out.toString('utf8', 8, n), 'connection id could not be verified');
  });

  it('writes a text error response in UTF-8', () => {
    const n = writeErrorResponseText(out, 7, 'tracker announce error: é');
    assert.equal(out.toString('utf8', 8, n), 'tracker announce error: é');
    assert.equal(n, 8 + Buffer.byteLength('tracker announce error: é'));
  });

  it('cuts an error message to the output buffer', () => {
    const small = Buffer.alloc(12);
    assert.equal(writeErrorResponse(small, 1, Buffer.from('abcdefgh')), 12);
    assert.equal(small.toString('latin1', 8), 'abcd');
  });

  it('writes parse errors with the prefixed reason', () => {
    const n = writeParseErrorResponse(out, Bep15ParseError.PortZero, 99);
    assert.equal(out.readInt32BE(4), 99);
    assert.equal(out.toString('utf8', 8, n), "error parsing request: Port can't be 0");
  });

  it('clamps counts above i32 max instead of wrapping', () => {
    const o = writeAnnounceHeader(out, 0, 2 ** 40, 2 ** 31, 2 ** 32 + 5);
    assert.equal(out.readInt32BE(8), I32_MAX);
    assert.equal(out.readInt32BE(12), I32_MAX);
    assert.equal(out.readInt32BE(16), I32_MAX);
    assert.equal(o, 20);
    writeScrapeEntry(out, 0, 2 ** 33, -5, Number.NaN);
    assert.deepEqual([out.readInt32BE(0), out.readInt32BE(4), out.readInt32BE(8)], [I32_MAX, 0, 0]);
    assert.equal(clampI32(I32_MAX), I32_MAX);
    assert.equal(clampI32(12.7), 12);
  });

  it('writes any transaction id bit pattern (signed or unsigned input)', () => {
    writeScrapeHeader(out, 0xfffffffe);
    assert.equal(out.readInt32BE(4), -2);
  });
});
