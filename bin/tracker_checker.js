#!/usr/bin/env node
// tracker_checker [-c FILE]: checks UDP/HTTP trackers and health URLs (Torrust-compatible).
import { launch } from './launch.js';

await launch('tracker_checker');
