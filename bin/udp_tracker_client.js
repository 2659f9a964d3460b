#!/usr/bin/env node
// udp_tracker_client announce|scrape …: UDP tracker client (Torrust-compatible).
import { launch } from './launch.js';

await launch('udp_tracker_client');
