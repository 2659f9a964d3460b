import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeBencode } from '../../protocol/bencode/index.js';
import { readAnnounceDictionary, readScrape } from '../http/http-tracker-client.js';
import { judgeTrackerResponse } from './checks.js';

const res = (status: number, body: Buffer | string) => ({
  url: 'http://h/',
  status,
  body: typeof body === 'string' ? Buffer.from(body) : body,
});

describe('HTTP tracker check rules (Torrust)', () => {
  const announce = encodeBencode({ complete: 1, incomplete: 0, interval: 120, 'min interval': 120, peers: [] });

  it('passes Announce on 2xx and the dictionary announce', () => {
    assert.ok(judgeTrackerResponse(res(200, announce), readAnnounceDictionary).ok);
    assert.ok(judgeTrackerResponse(res(204, announce), readAnnounceDictionary).ok);
  });

  it('fails Announce on a compact answer, a failure reason or a non-2xx status', () => {
    const compact = encodeBencode({ complete: 1, incomplete: 0, interval: 120, 'min interval': 120, peers: '' });
    const judged = judgeTrackerResponse(res(200, compact), readAnnounceDictionary);
    assert.ok(!judged.ok);
    assert.match(
      judged.message,
      /^Failed to deserialize the bencoded response data with the error: "`peers` is not a list/,
    );
    const failure = judgeTrackerResponse(
      res(200, encodeBencode({ 'failure reason': 'not whitelisted' })),
      readAnnounceDictionary,
    );
    assert.deepEqual(failure, { ok: false, message: 'The tracker answered with a failure: "not whitelisted"' });
    const status = judgeTrackerResponse(res(404, 'gone'), readAnnounceDictionary);
    assert.deepEqual(status, {
      ok: false,
      message: 'Returned a non-success code: "404 Not Found" with the response: "gone"',
    });
  });

  it('passes Scrape only on the strict scrape shape', () => {
    const file = { complete: 0, downloaded: 0, incomplete: 0 };
    const good = encodeBencode({ files: new Map([[Buffer.alloc(20), file]]) });
    assert.ok(judgeTrackerResponse(res(200, good), readScrape).ok);
    const extra = encodeBencode({ files: new Map([[Buffer.alloc(20), { ...file, name: 'x' }]]) });
    assert.ok(!judgeTrackerResponse(res(200, extra), readScrape).ok);
  });
});
