/**
 * `GET /api/v1/forwarders` (extension): the state of announce forwarding — settings, queue,
 * and per forwarder its state (active, suspended, probing), counters and last error.
 */
import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ForwardingService } from '../../../forwarding/forwarding.service.js';
import { ApiTorrustFailures, AuthenticatedApiController } from '../common/api-controller.decorators.js';
import { ForwardingStatusDto } from './dto/forwarders.dto.js';

@AuthenticatedApiController('forwarders')
export class ForwardersController {
  constructor(private readonly forwarding: ForwardingService) {}

  @Get('forwarders')
  @ApiOperation({ summary: 'Announce forwarding: settings, queue and the state of every forwarder (extension).' })
  @ApiOkResponse({
    type: ForwardingStatusDto,
    description:
      'The forwarding settings, the queue and one entry per forwarder, counters since start ' +
      '(`enabled: false` and no forwarders when none is configured).',
  })
  @ApiTorrustFailures()
  forwarders(): ForwardingStatusDto {
    return this.forwarding.status();
  }
}
