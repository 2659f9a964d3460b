#!/usr/bin/env node
// http_tracker_client announce|scrape …: HTTP tracker client (Torrust-compatible).
import { launch } from './launch.js';

await launch('http_tracker_client');
