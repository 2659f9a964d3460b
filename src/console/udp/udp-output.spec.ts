import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bep15Response } from '../../protocol/bep15/index.js';
import { renderJson } from '../json-output.js';
import { serializableUdpResponse } from './udp-output.js';

const TX = -888840697;

describe('serializableUdpResponse (Torrust SerializableResponse)', () => {
  it('wraps an IPv4 announce as AnnounceIpv4 with Torrust key order and ip:port peers', () => {
    const response: Bep15Response = {
      action: 1,
      transactionId: TX,
      interval: 120,
      leechers: 0,
      seeders: 1,
      peerSize: 6,
      peers: [{ address: Buffer.from([127, 0, 0, 1]), ip: '127.0.0.1', port: 51289 }],
    };
    assert.equal(
      renderJson(serializableUdpResponse(response), 'compact'),
      '{"AnnounceIpv4":{"transaction_id":-888840697,"announce_interval":120,"leechers":0,"seeders":1,"peers":["127.0.0.1:51289"]}}',
    );
  });

  it('wraps an IPv6 announce as AnnounceIpv6, peers without brackets (Rust format!("{}:{}"))', () => {
    const response: Bep15Response = {
      action: 1,
      transactionId: 1,
      interval: 60,
      leechers: 2,
      seeders: 3,
      peerSize: 18,
      peers: [{ address: Buffer.alloc(16), ip: '::1', port: 6881 }],
    };
    assert.deepEqual(serializableUdpResponse(response), {
      AnnounceIpv6: { transaction_id: 1, announce_interval: 60, leechers: 2, seeders: 3, peers: ['::1:6881'] },
    });
  });

  it('wraps a scrape as Scrape with torrent_stats in seeders, completed, leechers order', () => {
    const response: Bep15Response = {
      action: 2,
      transactionId: TX,
      torrentStats: [
        { seeders: 1, completed: 2, leechers: 3 },
        { seeders: 0, completed: 0, leechers: 0 },
      ],
    };
    assert.equal(
      renderJson(serializableUdpResponse(response), 'pretty'),
      [
        '{',
        '  "Scrape": {',
        '    "transaction_id": -888840697,',
        '    "torrent_stats": [',
        '      {',
        '        "seeders": 1,',
        '        "completed": 2,',
        '        "leechers": 3',
        '      },',
        '      {',
        '        "seeders": 0,',
        '        "completed": 0,',
        '        "leechers": 0',
        '      }',
        '    ]',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('wraps an error packet as Error and a connect reply as Connect with a 64-bit id', () => {
    assert.equal(
      renderJson(
        serializableUdpResponse({ action: 3, transactionId: TX, message: 'torrent not whitelisted' }),
        'compact',
      ),
      '{"Error":{"transaction_id":-888840697,"message":"torrent not whitelisted"}}',
    );
    const id = Buffer.from('8000000000000001', 'hex');
    assert.equal(
      renderJson(
        serializableUdpResponse({
          action: 0,
          transactionId: 1,
          connectionId: id,
          connectionIdValue: id.readBigInt64BE(),
        }),
        'compact',
      ),
      '{"Connect":{"transaction_id":1,"connection_id":-9223372036854775807}}',
    );
  });
});
