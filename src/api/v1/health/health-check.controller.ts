/** `GET /api/health_check`: the API's own liveness answer, without a token (Torrust's route). */
import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { PublicApiController } from '../common/api-controller.decorators.js';

export class HealthCheckDto {
  @ApiProperty({ enum: ['Ok'], example: 'Ok' })
  readonly status!: 'Ok';
}

const HEALTHY: HealthCheckDto = { status: 'Ok' };

@PublicApiController('health check')
export class HealthCheckController {
  @Get('api/health_check')
  @ApiOperation({ summary: 'Is the API up? No token needed.' })
  @ApiOkResponse({ type: HealthCheckDto })
  healthCheck(): HealthCheckDto {
    return HEALTHY;
  }
}
