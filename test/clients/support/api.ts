/** The tracker's REST API and HTTP scrape, as the client tests use them. */
import { decodeBencode, BencodeDictionary } from '../../../src/protocol/bencode/decode.js';
import { percentEncode } from '../../../src/protocol/http/percent.js';
import { API_TOKEN, type TrackerProcess } from './tracker-process.js';

export interface ApiPeer {
  peer_id: { id: string | null; client: string | null };
  peer_addr: string;
  updated: number;
  uploaded: number;
  downloaded: number;
  left: number;
  event: string;
}

export interface ApiTorrent {
  info_hash: string;
  seeders: number;
  completed: number;
  leechers: number;
  peers: ApiPeer[];
}

export type ApiStats = Record<string, number>;

export interface ScrapeEntry {
  complete: number;
  downloaded: number;
  incomplete: number;
}

export interface AuthKey {
  key: string;
  valid_until: number | null;
  expiry_time: string | null;
}

async function call(tracker: TrackerProcess, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${tracker.api}/api/v1/${path}?token=${API_TOKEN}`, {
    method,
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} /api/v1/${path}: HTTP ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** The torrent with its peers, or undefined when the tracker does not know it. */
export async function apiTorrent(tracker: TrackerProcess, infoHashHex: string): Promise<ApiTorrent | undefined> {
  const body = await call(tracker, 'GET', `torrent/${infoHashHex}`);
  return typeof body === 'string' ? undefined : (body as ApiTorrent);
}

export async function apiStats(tracker: TrackerProcess): Promise<ApiStats> {
  return (await call(tracker, 'GET', 'stats')) as ApiStats;
}

export async function generateKey(tracker: TrackerProcess, seconds: number): Promise<AuthKey> {
  return (await call(tracker, 'POST', `key/${seconds}`)) as AuthKey;
}

export async function deleteKey(tracker: TrackerProcess, key: string): Promise<void> {
  await call(tracker, 'DELETE', `key/${key}`);
}

export async function whitelist(tracker: TrackerProcess, infoHashHex: string): Promise<void> {
  await call(tracker, 'POST', `whitelist/${infoHashHex}`);
}

/** `GET {http}/scrape[/{key}]?info_hash=…`; undefined when the torrent is not in the answer. */
export async function scrape(http: string, infoHash: Buffer, key?: string): Promise<ScrapeEntry | undefined> {
  const res = await fetch(`${http}/scrape${key ? `/${key}` : ''}?info_hash=${percentEncode(infoHash)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = decodeBencode(Buffer.from(await res.arrayBuffer()));
  if (!(body instanceof BencodeDictionary)) throw new Error('scrape: not a dictionary');
  const failure = body.getString('failure reason');
  if (failure !== undefined) throw new Error(`scrape failed: ${failure}`);
  const entry = body.getDictionary('files')?.getDictionary(infoHash);
  if (!entry) return undefined;
  return {
    complete: entry.getNumber('complete') ?? -1,
    downloaded: entry.getNumber('downloaded') ?? -1,
    incomplete: entry.getNumber('incomplete') ?? -1,
  };
}
