/**
 * Row of Torrust's `whitelist` table: one whitelisted info hash (40-character lowercase hex).
 * The table itself is created by the migrations with Torrust's exact DDL; the column types
 * declared here only map values and are never used to synchronise the schema.
 */
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'whitelist' })
export class WhitelistEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'info_hash', type: 'varchar', length: 40, unique: true })
  infoHash!: string;
}
