/**
 * Bodies and parameters of the key endpoints, with Torrust's names: the AuthKey answer
 * (`valid_until` Unix seconds and `expiry_time` text, both null for a permanent key), the
 * `POST /api/v1/keys` form and the path parameters.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { type AuthKey, formatExpiryTime } from '../../../../auth-keys/auth-key.js';
import { IsAuthKeyParam, IsJsonString, IsJsonU64, IsU64Param } from '../../common/validation.js';

export class AuthKeyDto {
  @ApiProperty({ description: '32 ASCII letters and digits.', example: 'xqD6NWH9TcKrOCwDmqcdH5hF5RrbL0A6' })
  readonly key!: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Expiry, Unix seconds; null for a permanent key (deprecated in Torrust, still sent).',
    example: 1680009900,
  })
  readonly valid_until!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Expiry as UTC text; null for a permanent key.',
    example: '2023-03-28 13:25:00.058 UTC',
  })
  readonly expiry_time!: string | null;
}

export function authKeyDtoOf(key: AuthKey): AuthKeyDto {
  const until = key.validUntilMs;
  return {
    key: key.key,
    valid_until: until === null ? null : Math.floor(until / 1000),
    expiry_time: until === null ? null : formatExpiryTime(until),
  };
}

export class AddAuthKeyDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The key to add (32 ASCII letters and digits); null or absent = generate one.',
    example: 'xqD6NWH9TcKrOCwDmqcdH5hF5RrbL0A6',
  })
  @IsOptional()
  @IsJsonString()
  readonly key?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    nullable: true,
    description: 'Lifetime in seconds; null or absent = a permanent key.',
    example: 7257600,
  })
  @IsOptional()
  @IsJsonU64()
  readonly seconds_valid?: number | null;
}

export class AuthKeyParamDto {
  @ApiProperty({ description: 'The key: 32 ASCII letters and digits.', example: 'xqD6NWH9TcKrOCwDmqcdH5hF5RrbL0A6' })
  @IsAuthKeyParam()
  readonly key!: string;
}

export class SecondsValidParamDto {
  @ApiProperty({ description: 'Lifetime of the new key in seconds (u64).', example: '7257600' })
  @IsU64Param()
  readonly seconds_valid!: string;
}
