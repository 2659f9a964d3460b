/** DownloadsModule: persisted completed counts (load at startup, write behind). */
import { Module } from '@nestjs/common';
import { DownloadsService } from './downloads.service.js';

@Module({
  providers: [DownloadsService],
  exports: [DownloadsService],
})
export class DownloadsModule {}
