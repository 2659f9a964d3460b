/**
 * ForwardingModule: announce forwarding to upstream trackers and peer aggregation
 * ("retracker", an extension). Provides ForwardingService (status, metrics, lifecycle) and,
 * under FORWARDED_PEERS, the hot-path object the UDP and HTTP announce handlers call — null
 * when no `[[forwarders]]` are configured.
 */
import { Module } from '@nestjs/common';
import { ForwardingService } from './forwarding.service.js';

/** `ForwardedPeers | null`: what the announce handlers receive. */
export const FORWARDED_PEERS = Symbol('ForwardedPeers');

@Module({
  providers: [
    ForwardingService,
    { provide: FORWARDED_PEERS, inject: [ForwardingService], useFactory: (s: ForwardingService) => s.peers },
  ],
  exports: [ForwardingService, FORWARDED_PEERS],
})
export class ForwardingModule {}
