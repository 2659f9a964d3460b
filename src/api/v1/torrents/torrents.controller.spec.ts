import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type ApiTestApp, createApiTestApp, strictFake, TEST_TOKEN } from '../../testing/api-test-app.js';
import { assertTextError, itRequiresAValidToken } from '../../testing/auth-contract.js';
import type { TorrentDto, TorrentListItemDto } from './dto/torrent.dto.js';
import type { TorrentListQuery, TorrentsQuery } from './torrents.query.js';

const KNOWN = '9c38422213e30bff212b30c360d26f9a02136422';
const UNKNOWN = '0000000000000000000000000000000000000001';

const TORRENT: TorrentDto = {
  info_hash: KNOWN,
  seeders: 1,
  completed: 2,
  leechers: 3,
  peers: [
    {
      peer_id: { id: '0x2d7142343430302d787878787878787878787878', client: 'qBittorrent' },
      peer_addr: '192.168.1.88:17548',
      updated: 1680082693001,
      updated_milliseconds_ago: 1680082693001,
      uploaded: 0,
      downloaded: 0,
      left: 0,
      event: 'Started',
    },
  ],
};

function item(hex: string): TorrentListItemDto {
  return { info_hash: hex, seeders: 1, completed: 0, leechers: 0 };
}

describe('TorrentsController', () => {
  let app: ApiTestApp;
  const lists: TorrentListQuery[] = [];
  const lookups: string[] = [];
  before(async () => {
    app = await createApiTestApp({
      torrents: strictFake<TorrentsQuery>('TorrentsQuery', {
        torrent: (hex: string) => {
          lookups.push(hex);
          return hex === KNOWN ? TORRENT : null;
        },
        list: (query: TorrentListQuery) => {
          lists.push(query);
          return query.infoHashes.length > 0 ? query.infoHashes.map(item) : [item(KNOWN)];
        },
      }),
    });
  });
  afterEach(() => {
    lists.length = 0;
    lookups.length = 0;
    app.assertNoUnexpectedCalls();
  });
  after(() => app.close());

  describe('authentication', () => {
    itRequiresAValidToken(
      () => app,
      [
        { method: 'GET', url: `/api/v1/torrent/${KNOWN}` },
        { method: 'GET', url: '/api/v1/torrents' },
      ],
    );
  });

  describe('GET /api/v1/torrent/{info_hash}', () => {
    it('answers the torrent with its peers', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/torrent/${KNOWN}?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.body, JSON.stringify(TORRENT));
    });

    it('answers 200 with the JSON string "torrent not known" for an unknown torrent', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/torrent/${UNKNOWN}?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, '"torrent not known"');
      assert.equal(Buffer.byteLength(res.body), 19);
    });

    it('accepts upper-case hex and looks it up in lower case', async () => {
      await app.inject({ method: 'GET', url: `/api/v1/torrent/${KNOWN.toUpperCase()}?token=${TEST_TOKEN}` });
      assert.deepEqual(lookups, [KNOWN]);
    });

    for (const bad of ['abc', `${KNOWN}0`, `${KNOWN.slice(1)}g`, 'reload']) {
      it(`answers 400 for the info hash "${bad}"`, async () => {
        const res = await app.inject({ method: 'GET', url: `/api/v1/torrent/${bad}?token=${TEST_TOKEN}` });
        assertTextError(
          res,
          400,
          `Invalid URL: invalid infohash param: string "${bad}", expected a 40 character long string`,
        );
      });
    }

    it('answers 404 with an empty body for an empty or blank segment', async () => {
      for (const segment of ['', '%20']) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/torrent/${segment}?token=${TEST_TOKEN}` });
        assert.equal(res.statusCode, 404);
        assert.equal(res.body, '');
      }
    });
  });

  describe('GET /api/v1/torrents', () => {
    it('pages from offset 0 with limit 4000 by default', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/torrents?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(res.body), [item(KNOWN)]);
      assert.deepEqual(lists, [{ offset: 0, limit: 4000, infoHashes: [] }]);
    });

    it('passes offset and limit (empty values mean the default)', async () => {
      await app.inject({ method: 'GET', url: `/api/v1/torrents?offset=5&limit=10&token=${TEST_TOKEN}` });
      await app.inject({ method: 'GET', url: `/api/v1/torrents?offset=&limit=&token=${TEST_TOKEN}` });
      assert.deepEqual(lists, [
        { offset: 5, limit: 10, infoHashes: [] },
        { offset: 0, limit: 4000, infoHashes: [] },
      ]);
    });

    it('reads repeated info_hash params from the raw query, in order, duplicates kept, paging ignored', async () => {
      const hashes = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(40, 'a'));
      hashes.push(hashes[3]);
      const query = hashes.map((h) => `info_hash=${h}`).join('&');
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/torrents?token=${TEST_TOKEN}&offset=7&${query}&limit=1`,
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(lists[0].infoHashes, hashes);
      assert.deepEqual(
        (JSON.parse(res.body) as TorrentListItemDto[]).map((t) => t.info_hash),
        hashes,
      );
    });

    it('lower-cases the listed info hashes', async () => {
      await app.inject({ method: 'GET', url: `/api/v1/torrents?token=${TEST_TOKEN}&info_hash=${KNOWN.toUpperCase()}` });
      assert.deepEqual(lists[0].infoHashes, [KNOWN]);
    });

    for (const bad of ['-1', '1.5', '+1', 'abc', '%20', '1e3']) {
      it(`answers 400 for offset=${bad} and limit=${bad}`, async () => {
        for (const name of ['offset', 'limit']) {
          const res = await app.inject({ method: 'GET', url: `/api/v1/torrents?${name}=${bad}&token=${TEST_TOKEN}` });
          assertTextError(res, 400, 'Failed to deserialize query string: invalid digit found in string');
        }
      });
    }

    it('answers 400 for an offset beyond u32', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/torrents?offset=4294967296&token=${TEST_TOKEN}` });
      assertTextError(res, 400, 'Failed to deserialize query string: number too large to fit in target type');
    });

    it('answers 400 naming the first bad info_hash', async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/torrents?token=${TEST_TOKEN}&info_hash=${KNOWN}&info_hash=nope&info_hash=zz`,
      });
      assertTextError(
        res,
        400,
        'Invalid URL: invalid infohash param: string "nope", expected a 40 character long string',
      );
    });
  });
});
