/** AuthKeysModule: private-mode authentication keys (service + the AuthKeyStore port). */
import { Module } from '@nestjs/common';
import { AuthKeysService } from './auth-keys.service.js';

@Module({
  providers: [AuthKeysService],
  exports: [AuthKeysService],
})
export class AuthKeysModule {}
