/** WhitelistModule: listed-mode whitelist (service + the WhitelistStore port). */
import { Module } from '@nestjs/common';
import { WhitelistService } from './whitelist.service.js';

@Module({
  providers: [WhitelistService],
  exports: [WhitelistService],
})
export class WhitelistModule {}
