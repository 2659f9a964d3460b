/**
 * Test payloads and .torrent files, made without any BitTorrent client: a random file, its v1
 * info dictionary (BEP 3: single file, SHA-1 piece hashes from node:crypto, optional BEP 27
 * private flag) encoded with the project's bencode encoder, and the info hash as SHA-1 of
 * those exact bytes. One payload can be written out as many .torrent files (one per announce
 * URL, e.g. one per private key): the info dictionary and so the info hash stay the same.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBencode } from '../../../src/protocol/bencode/encode.js';

export interface Payload {
  readonly dir: string;
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly bytes: Buffer;
}

export interface Torrent {
  readonly payload: Payload;
  readonly private: boolean;
  readonly pieceLength: number;
  readonly infoHash: Buffer;
  readonly infoHashHex: string;
  /** Writes a .torrent announcing to `announce` (and returns its path). */
  write(path: string, announce: string): string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file of `size` random bytes at `dir/name`. */
export function makePayload(dir: string, name: string, size: number): Payload {
  mkdirSync(dir, { recursive: true });
  const bytes = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { dir, name, path, size, sha256: sha256(bytes), bytes };
}

export function makeTorrent(payload: Payload, o: { private?: boolean; pieceLength?: number } = {}): Torrent {
  const pieceLength = o.pieceLength ?? 32 * 1024;
  const hashes: Buffer[] = [];
  for (let offset = 0; offset < payload.size; offset += pieceLength) {
    hashes.push(
      createHash('sha1')
        .update(payload.bytes.subarray(offset, offset + pieceLength))
        .digest(),
    );
  }
  const info = {
    length: payload.size,
    name: payload.name,
    'piece length': pieceLength,
    pieces: Buffer.concat(hashes),
    ...(o.private ? { private: 1 } : {}),
  };
  const infoHash = createHash('sha1').update(encodeBencode(info)).digest();
  return {
    payload,
    private: o.private ?? false,
    pieceLength,
    infoHash,
    infoHashHex: infoHash.toString('hex'),
    write(path: string, announce: string): string {
      const metainfo = {
        announce,
        'announce-list': [[announce]],
        'created by': 'nest-bittorrent-tracker client tests',
        'creation date': Math.floor(Date.now() / 1000),
        info,
      };
      writeFileSync(path, encodeBencode(metainfo));
      return path;
    },
  };
}
