/** `{"status":"ok"}`: Torrust's answer to a successful action (whitelist, keys, reloads). */
import { ApiProperty } from '@nestjs/swagger';

export class OkResponseDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  readonly status!: 'ok';
}

export const OK: OkResponseDto = { status: 'ok' };
