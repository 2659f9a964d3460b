import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MonitorStats, runUdpMonitor, type ProbeOutcome, type UdpMonitorConfig } from './udp-monitor.js';

const config: UdpMonitorConfig = {
  url: 'udp://127.0.0.1:6969',
  host: '127.0.0.1',
  port: 6969,
  intervalMs: 1,
  timeoutMs: 10,
  durationMs: 1000,
  infoHash: Buffer.alloc(20),
  peerId: Buffer.alloc(20),
};

describe('UDP monitor', () => {
  describe('MonitorStats (Torrust rules)', () => {
    it('has no average without a successful probe', () => {
      const s = new MonitorStats();
      s.recordTimeout();
      assert.equal(s.averageMs(), null);
    });

    it('rounds the average down', () => {
      const s = new MonitorStats();
      s.recordSuccess(100);
      s.recordSuccess(101);
      assert.equal(s.averageMs(), 100);
    });

    it('computes the timeout percentage over all probes, rounded down', () => {
      const s = new MonitorStats();
      s.recordSuccess(100);
      s.recordTimeout();
      s.recordTimeout();
      assert.equal(s.timeoutPercent(), 66);
      const e = new MonitorStats();
      e.recordSuccess(1);
      e.recordTimeout();
      e.recordError();
      assert.equal(e.timeoutPercent(), 33);
    });

    it('has null latencies when every probe timed out', () => {
      const s = new MonitorStats();
      s.recordTimeout();
      s.recordTimeout();
      assert.deepEqual(s.toJson(), {
        total: 2,
        timeouts: 2,
        timeout_percent: 100,
        min_ms: null,
        max_ms: null,
        average_ms: null,
        last_ms: null,
      });
    });
  });

  describe('runUdpMonitor', () => {
    it('writes one probe line per probe and a summary, stopping when the duration is used up', async () => {
      let clock = 0;
      const outcomes: ProbeOutcome[] = [
        { status: 'ok' },
        { status: 'timeout' },
        { status: 'error', message: 'refused' },
      ];
      const lines: string[] = [];
      const summary = await runUdpMonitor(config, {
        progress: (line) => lines.push(line),
        signal: new AbortController().signal,
        now: () => clock,
        probe: async () => {
          clock += 40; // each probe takes 40 ms of the 1000 ms budget...
          const next = outcomes.shift();
          if (!next) clock = 10_000; // ...and the fourth uses up the rest
          return next ?? { status: 'ok' };
        },
      });
      assert.deepEqual(
        lines.map((l) => JSON.parse(l) as unknown),
        [
          { event: 'probe', sequence: 1, url: config.url, status: 'ok', elapsed_ms: 40 },
          { event: 'probe', sequence: 2, url: config.url, status: 'timeout', elapsed_ms: null },
          { event: 'probe', sequence: 3, url: config.url, status: 'error', elapsed_ms: null, message: 'refused' },
          { event: 'probe', sequence: 4, url: config.url, status: 'ok', elapsed_ms: 9880 },
        ],
      );
      assert.deepEqual(JSON.parse(summary), {
        udp_trackers: [
          {
            url: config.url,
            status: {
              code: 'ok',
              message: 'monitor completed',
              stats: {
                total: 4,
                timeouts: 1,
                timeout_percent: 25,
                min_ms: 40,
                max_ms: 9880,
                average_ms: 4960,
                last_ms: 9880,
              },
            },
          },
        ],
      });
    });

    it('stops at once and says so when interrupted', async () => {
      const controller = new AbortController();
      const summary = await runUdpMonitor(
        { ...config, intervalMs: 60_000, durationMs: 3_600_000 },
        {
          progress: () => controller.abort(),
          signal: controller.signal,
          probe: async () => ({ status: 'ok' }),
        },
      );
      const parsed = JSON.parse(summary) as {
        udp_trackers: { status: { message: string; stats: { total: number } } }[];
      };
      assert.equal(parsed.udp_trackers[0].status.message, 'monitor interrupted');
      assert.equal(parsed.udp_trackers[0].status.stats.total, 1);
    });
  });
});
