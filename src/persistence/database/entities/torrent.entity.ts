/**
 * Row of Torrust's `torrents` table: the persisted completed ("downloaded") count of a torrent,
 * used when `persistent_torrent_completed_stat` is on. Created by the migrations with Torrust's
 * exact DDL; the column types declared here only map values.
 */
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'torrents' })
export class TorrentEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'info_hash', type: 'varchar', length: 40, unique: true })
  infoHash!: string;

  @Column({ name: 'completed', type: 'integer', default: 0 })
  completed!: number;
}
