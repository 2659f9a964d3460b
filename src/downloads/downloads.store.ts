/**
 * Port: persisted completed ("downloaded") counts per torrent (table `torrents`), used when
 * `persistent_torrent_completed_stat` is on. Written behind in batches, never on the
 * announce path.
 *
 * Obligations of every implementation:
 * - `saveMany` upserts every entry in one transaction (all or nothing); the stored value is
 *   the given value (not an increment).
 * - `loadAll` returns every row; hashes are 40-character lowercase hex.
 * - Failures reject with an Error whose message is safe to show an operator.
 */
export interface DownloadsEntry {
  readonly infoHashHex: string;
  readonly completed: number;
}

export interface DownloadsStore {
  loadAll(): Promise<DownloadsEntry[]>;
  saveMany(entries: readonly DownloadsEntry[]): Promise<void>;
}

export const DOWNLOADS_STORE = Symbol('DownloadsStore');
