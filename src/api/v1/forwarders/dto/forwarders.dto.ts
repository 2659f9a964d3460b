/**
 * The body of `GET /api/v1/forwarders` (extension): the announce forwarding ("retracker")
 * settings in force and, per `[[forwarders]]` entry, its state and counters since start.
 */
import { ApiProperty } from '@nestjs/swagger';

const COUNT = { type: 'integer', minimum: 0 } as const;
const TIME = { type: String, nullable: true, format: 'date-time' } as const;

export class ForwarderFailuresDto {
  @ApiProperty({ ...COUNT, description: 'No answer within timeout_in_secs (connect included).' })
  readonly timeout!: number;

  @ApiProperty({ ...COUNT, description: 'Connection refused or reset, DNS failure, socket error.' })
  readonly network!: number;

  @ApiProperty({ ...COUNT, description: 'HTTP status other than 200 and 429.' })
  readonly http_status!: number;

  @ApiProperty({ ...COUNT, description: 'HTTP 429 (the forwarder is suspended, for Retry-After when given).' })
  readonly rate_limited!: number;

  @ApiProperty({ ...COUNT, description: 'An answer that is not a tracker answer (not bencode, bad lengths…).' })
  readonly invalid_response!: number;

  @ApiProperty({
    ...COUNT,
    description: 'A `failure reason` (HTTP) or error packet (UDP): the upstream refused the announce.',
  })
  readonly tracker_failure!: number;
}

export class ForwarderDroppedDto {
  @ApiProperty({ ...COUNT, description: 'Announces not forwarded because the queue was full.' })
  readonly queue_full!: number;

  @ApiProperty({ ...COUNT, description: 'Announces not forwarded because the forwarder was suspended.' })
  readonly suspended!: number;
}

export class ForwarderStatusDto {
  @ApiProperty({ description: "The `name` (default: the uri's host[:port]).", example: 'tracker.example:6969' })
  readonly name!: string;

  @ApiProperty({
    description: 'The `uri`, passkey-looking parts masked as `***`.',
    example: 'udp://tracker.example:6969/announce',
  })
  readonly uri!: string;

  @ApiProperty({ enum: ['http', 'https', 'udp'] })
  readonly protocol!: string;

  @ApiProperty({
    enum: ['active', 'suspended', 'probing'],
    description: 'probing = the suspension is over; one request at a time until one succeeds.',
  })
  readonly state!: string;

  @ApiProperty({ ...TIME, description: 'End of the current suspension, or null.' })
  readonly suspended_until!: string | null;

  @ApiProperty({ ...COUNT, description: 'Failures since the last answer (suspend_after_failures suspends).' })
  readonly consecutive_failures!: number;

  @ApiProperty({ ...COUNT, description: 'Times it was suspended.' })
  readonly suspensions!: number;

  @ApiProperty({ ...COUNT, description: 'Announces sent (retries included).' })
  readonly requests!: number;

  @ApiProperty({ ...COUNT, description: 'Announces answered with peers (possibly none).' })
  readonly successes!: number;

  @ApiProperty({ type: ForwarderFailuresDto })
  readonly failures!: ForwarderFailuresDto;

  @ApiProperty({ ...COUNT, description: 'Requests scheduled again after a failure.' })
  readonly retries!: number;

  @ApiProperty({ ...COUNT, description: 'Peers received in its answers.' })
  readonly peers_received!: number;

  @ApiProperty({ ...COUNT, description: 'Announces waiting for it.' })
  readonly queue_depth!: number;

  @ApiProperty({ ...COUNT, description: 'Its requests in flight.' })
  readonly in_flight!: number;

  @ApiProperty({ type: ForwarderDroppedDto })
  readonly dropped!: ForwarderDroppedDto;

  @ApiProperty({ ...COUNT, description: 'Torrents for which its peers are cached now.' })
  readonly cached_torrents!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Mean request duration in milliseconds, or null.' })
  readonly average_duration_ms!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'The last failure: `reason: detail`.', example: null })
  readonly last_error!: string | null;

  @ApiProperty({ ...TIME })
  readonly last_error_at!: string | null;

  @ApiProperty({ ...TIME })
  readonly last_success_at!: string | null;
}

export class ForwardingStatusDto {
  @ApiProperty({ description: 'False when no forwarder is configured (then `forwarders` is empty).' })
  readonly enabled!: boolean;

  @ApiProperty({ ...COUNT, description: '[forwarding] workers: upstream requests in flight at most.' })
  readonly workers!: number;

  @ApiProperty({ ...COUNT, description: '[forwarding] queue_size: announces that may wait.' })
  readonly queue_size!: number;

  @ApiProperty({ ...COUNT, description: 'Announces waiting, over all forwarders.' })
  readonly queue_depth!: number;

  @ApiProperty({ ...COUNT, description: 'Requests in flight.' })
  readonly in_flight!: number;

  @ApiProperty({ ...COUNT, description: 'Requests waiting for their retry delay.' })
  readonly retries_waiting!: number;

  @ApiProperty({ ...COUNT, description: 'Torrents with cached upstream peers.' })
  readonly cached_torrents!: number;

  @ApiProperty({ type: [ForwarderStatusDto] })
  readonly forwarders!: ForwarderStatusDto[];
}
