import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnounceEvent } from '../core/domain/types.js';
import { encodeBencode } from '../protocol/bencode/index.js';
import { parseAnnounceRequest, HttpAnnounceRequest, rawQueryOf } from '../protocol/http/index.js';
import { announceUrlOf, readAnnounceBody, retryAfterMs } from './http-announce.js';
import type { UpstreamAnnounce } from './upstream.js';

const REQUEST: UpstreamAnnounce = {
  infoHash: Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex'),
  peerId: Buffer.from('-qB4650-(x~%&?=0 12+'),
  port: 51413,
  uploaded: 1,
  downloaded: 2,
  left: 3,
  event: AnnounceEvent.Started,
  numWant: 74,
};

describe('announceUrlOf', () => {
  it('builds a BEP 3 query that our own parser reads back byte for byte', () => {
    const url = announceUrlOf('http://t.example:6969/announce', REQUEST, null);
    assert.ok(url.startsWith('http://t.example:6969/announce?info_hash=%9C8B%22'));
    assert.match(url, /&port=51413&uploaded=1&downloaded=2&left=3&event=started&compact=1&numwant=74$/);
    const parsed = new HttpAnnounceRequest();
    assert.equal(parseAnnounceRequest(rawQueryOf(url), parsed), null);
    assert.deepEqual(Buffer.from(parsed.infoHash), REQUEST.infoHash);
    assert.deepEqual(Buffer.from(parsed.peerId), REQUEST.peerId);
    assert.equal(parsed.compact, true);
  });

  it('keeps a query of the uri (a passkey), sends no event for a regular announce, and the ip when set', () => {
    const url = announceUrlOf(
      'https://t.example/announce.php?passkey=abc',
      { ...REQUEST, event: AnnounceEvent.None },
      '192.168.1.15',
    );
    assert.match(url, /^https:\/\/t\.example\/announce\.php\?passkey=abc&info_hash=/);
    assert.ok(!url.includes('event='));
    assert.ok(url.endsWith('&ip=192.168.1.15'));
    assert.match(
      announceUrlOf('http://t/announce', { ...REQUEST, event: AnnounceEvent.Stopped }, null),
      /&event=stopped&/,
    );
    assert.match(
      announceUrlOf('http://t/a', { ...REQUEST, event: AnnounceEvent.Completed }, null),
      /&event=completed&/,
    );
  });

  it('never sends a negative or fractional number', () => {
    const url = announceUrlOf('http://t/announce', { ...REQUEST, uploaded: -5, left: 1.7 }, null);
    assert.match(url, /&uploaded=0&downloaded=2&left=1&/);
  });
});

describe('readAnnounceBody', () => {
  it('reads compact peers, peers6 and the interval', () => {
    const result = readAnnounceBody(
      encodeBencode({
        interval: 1800,
        'min interval': 900,
        complete: 1,
        incomplete: 2,
        peers: Buffer.from([1, 2, 3, 4, 0x1a, 0xe1]),
        peers6: Buffer.concat([Buffer.alloc(15), Buffer.from([1, 0, 80])]),
      }),
    );
    assert.ok(result.ok);
    assert.equal(result.intervalSecs, 1800);
    assert.deepEqual([...result.peers4], [1, 2, 3, 4, 0x1a, 0xe1]);
    assert.equal(result.peers6.length, 18);
  });

  it('reads dictionary peers, IPv4 and IPv6, skipping host names and bad ports', () => {
    const result = readAnnounceBody(
      encodeBencode({
        interval: 60,
        peers: [
          { ip: '10.0.0.1', 'peer id': Buffer.alloc(20), port: 6881 },
          { ip: '2001:db8::1', port: 6882 },
          { ip: 'peer.example', port: 6883 },
          { ip: '10.0.0.2', port: 0 },
        ],
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual([...result.peers4], [10, 0, 0, 1, 0x1a, 0xe1]);
    assert.equal(result.peers6.length, 18);
  });

  it('gives no interval when the upstream sends none', () => {
    const result = readAnnounceBody(encodeBencode({ peers: Buffer.alloc(0) }));
    assert.ok(result.ok);
    assert.equal(result.intervalSecs, null);
  });

  it('turns a failure reason into tracker_failure, not retried', () => {
    const result = readAnnounceBody(encodeBencode({ 'failure reason': 'torrent not registered' }));
    assert.deepEqual(result, {
      ok: false,
      reason: 'tracker_failure',
      message: 'torrent not registered',
      retryable: false,
    });
  });

  it('refuses garbage as invalid_response', () => {
    for (const body of [
      Buffer.from('<html>502 Bad Gateway</html>'),
      Buffer.alloc(0),
      encodeBencode([1, 2]),
      encodeBencode({ interval: 5, peers: Buffer.alloc(7) }),
      encodeBencode({ interval: 5, peers6: Buffer.alloc(17) }),
      encodeBencode({ interval: 5, peers: 12 }),
    ]) {
      const result = readAnnounceBody(body);
      assert.equal(result.ok, false, body.toString('latin1'));
      if (!result.ok) assert.equal(result.reason, 'invalid_response');
    }
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 12:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now), 0);
    assert.equal(retryAfterMs(undefined, now), undefined);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(['5', '7'], now), 5_000);
  });
});
