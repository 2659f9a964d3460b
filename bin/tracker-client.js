#!/usr/bin/env node
// tracker-client udp|http|check …: BitTorrent tracker console client (Torrust's tracker_client).
import { launch } from './launch.js';

await launch('tracker-client');
