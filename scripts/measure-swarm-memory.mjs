#!/usr/bin/env node
// Measures the memory cost of the in-memory swarms: fills a SwarmRegistry with N peers over T
// torrents (defaults 1,000,000 / 100,000, as the benchmark's memory test) and prints the RSS
// growth per peer. Run after `npm run build`:  node scripts/measure-swarm-memory.mjs [peers] [torrents]
import { SwarmRegistry } from '../dist/core/domain/swarm-registry.js';

const peers = Number(process.argv[2] ?? 1_000_000);
const torrents = Number(process.argv[3] ?? 100_000);
const gc = globalThis.gc ?? (() => {});

const registry = new SwarmRegistry({ maxPeerTimeoutMs: 900_000, seed: 42 });
const input = {
  infoHash: new Uint8Array(20),
  infoHashOffset: 0,
  peerId: new Uint8Array(20),
  peerIdOffset: 0,
  ip: new Uint8Array(4),
  ipOffset: 0,
  family: 4,
  port: 0,
  uploaded: 0,
  downloaded: 0,
  left: 1000,
  event: 2,
};
gc();
const before = process.memoryUsage();
const now = Date.now();
for (let i = 0; i < peers; i++) {
  const t = i % torrents;
  input.infoHash.fill(0);
  new DataView(input.infoHash.buffer).setUint32(0, t * 2654435761);
  new DataView(input.infoHash.buffer).setUint32(16, t);
  new DataView(input.peerId.buffer).setUint32(12, i * 40503);
  new DataView(input.peerId.buffer).setUint32(16, i);
  new DataView(input.ip.buffer).setUint32(0, 0x0a000000 + i);
  input.port = 1024 + (i % 60000);
  input.left = i % 4 === 0 ? 0 : 1000;
  registry.announce(input, now, 0, false);
}
// Let the arrays replaced while growing be collected before measuring.
for (let i = 0; i < 3; i++) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const after = process.memoryUsage();
const totals = registry.totalsView;
const rss = after.rss - before.rss;
console.log(
  JSON.stringify({
    peers: totals.seeders + totals.leechers,
    torrents: totals.torrents,
    rssGrowthBytes: rss,
    bytesPerPeer: +(rss / peers).toFixed(1),
    // Tables that grew in place are WebAssembly memories: counted in `external`, not `arrayBuffers`.
    externalGrowthBytes: after.external - before.external,
    arrayBuffersGrowthBytes: after.arrayBuffers - before.arrayBuffers,
    heapUsedGrowthBytes: after.heapUsed - before.heapUsed,
  }),
);
