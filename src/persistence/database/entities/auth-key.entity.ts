/**
 * Row of Torrust's `keys` table: an authentication key (32 ASCII alphanumerics) and its expiry
 * in whole Unix seconds, NULL for a permanent key. Created by the migrations with Torrust's
 * exact DDL (old Torrust files with a NOT NULL `valid_until` are upgraded by the second one).
 */
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'keys' })
export class AuthKeyEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'key', type: 'varchar', length: 32, unique: true })
  key!: string;

  @Column({ name: 'valid_until', type: 'integer', nullable: true })
  validUntil!: number | null;
}
