import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anAnnounce, infoHashOf, peerIdOf } from '../core/domain/testing/announce-builder.js';
import { AnnounceEvent } from '../core/domain/types.js';
import { ForwardingEngine, type EngineSettings } from './forwarding-engine.js';
import { FakeUpstream, ManualScheduler, peersResult } from './testing/manual-scheduler.js';
import { failure, type UpstreamResult } from './upstream.js';

const SETTINGS: EngineSettings = {
  workers: 4,
  queueSize: 100,
  timeoutMs: 5_000,
  maxRetries: 2,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  suspendAfterFailures: 3,
  suspensionMs: 30_000,
  maxSuspensionMs: 600_000,
  numWant: 74,
};

interface Setup {
  engine: ForwardingEngine;
  clock: ManualScheduler;
  upstreams: FakeUpstream[];
  peers: Array<{ forwarder: number; infoHash: Buffer; result: UpstreamResult }>;
  events: string[];
}

function setup(settings: Partial<EngineSettings> = {}, forwarders = 1): Setup {
  const clock = new ManualScheduler();
  const upstreams = Array.from({ length: forwarders }, () => new FakeUpstream());
  const peers: Setup['peers'] = [];
  const events: string[] = [];
  const engine = new ForwardingEngine(
    upstreams.map((transport, i) => ({ name: `up${i}`, transport })),
    { ...SETTINGS, ...settings },
    clock,
    {
      onPeers: (forwarder, infoHash, result) => peers.push({ forwarder, infoHash, result }),
      onSuspended: (f, forMs) => events.push(`suspended ${f} ${forMs}`),
      onResumed: (f) => events.push(`resumed ${f}`),
    },
  );
  return { engine, clock, upstreams, peers, events };
}

function announce(n = 1, torrent = 1) {
  return anAnnounce().forTorrent(torrent).fromPeer(n).build();
}

const TIMEOUT = failure('timeout', 'slow', true);
const REFUSED = failure('network', 'ECONNREFUSED', true);

describe('ForwardingEngine', () => {
  describe('enqueue and dispatch', () => {
    it('sends a copy of the announce to every forwarder, on the next turn', async () => {
      const { engine, clock, upstreams } = setup({}, 2);
      const input = anAnnounce().forTorrent(7).fromPeer(3).at('10.1.2.3', 51413).leeching(500).completed().build();
      input.uploaded = 11;
      input.downloaded = 22;
      engine.enqueue(input);
      assert.equal(upstreams[0]?.calls.length, 0, 'nothing is sent on the hot path');
      input.infoHash = infoHashOf(99); // the handler reuses its buffers
      await clock.settle();
      for (const up of upstreams) {
        assert.equal(up.calls.length, 1);
        const r = up.calls[0]?.request;
        assert.deepEqual(r?.infoHash, Buffer.from(infoHashOf(7)));
        assert.deepEqual(r?.peerId, Buffer.from(peerIdOf(3)));
        assert.equal(r?.port, 51413);
        assert.deepEqual([r?.uploaded, r?.downloaded, r?.left], [11, 22, 500]);
        assert.equal(r?.event, AnnounceEvent.Completed);
        assert.equal(r?.numWant, 74);
      }
      assert.equal(engine.stats(0).requests, 1);
    });

    it('keeps at most `workers` requests in flight, floor(workers / forwarders) per forwarder', async () => {
      const { engine, clock, upstreams } = setup({ workers: 4 }, 2);
      for (let i = 0; i < 10; i++) engine.enqueue(announce(i));
      await clock.settle();
      assert.equal(engine.inFlightCount, 4);
      assert.equal(upstreams[0]?.open.length, 2);
      assert.equal(upstreams[1]?.open.length, 2);
      assert.equal(engine.queueDepth, 16);
      upstreams[0]?.open[0]?.answer(peersResult());
      await clock.settle();
      assert.equal(upstreams[0]?.open.length, 2, 'the freed worker takes the next job');
      assert.equal(engine.queueDepth, 15);
    });

    it('does not let a hanging forwarder take the workers of the others', async () => {
      const { engine, clock, upstreams } = setup({ workers: 4 }, 2);
      upstreams[1]!.autoAnswer = peersResult();
      for (let i = 0; i < 20; i++) engine.enqueue(announce(i));
      await clock.settle();
      assert.equal(upstreams[0]?.open.length, 2, 'the hanging one holds its share only');
      assert.equal(upstreams[1]?.calls.length, 20, 'the healthy one got every announce');
    });

    it('drops announces when the queue is full, counted per forwarder, and accepts again once it drains', async () => {
      const { engine, clock, upstreams } = setup({ queueSize: 3, workers: 1 }, 2);
      for (let i = 0; i < 5; i++) engine.enqueue(announce(i));
      assert.equal(engine.stats(0).droppedQueueFull, 2);
      assert.equal(engine.stats(1).droppedQueueFull, 2);
      await clock.settle();
      // workers 1 over 2 forwarders: one request in flight at a time.
      for (let round = 0; round < 6; round++) {
        for (const up of upstreams) for (const c of up.open) c.answer(peersResult());
        await clock.settle();
      }
      assert.equal(engine.recordsInUse, 0);
      engine.enqueue(announce(9));
      assert.equal(engine.stats(0).droppedQueueFull, 2);
      assert.equal(engine.queueDepth + engine.inFlightCount, 2);
    });

    it('hands successful answers to the listener and counts the peers', async () => {
      const { engine, clock, upstreams, peers } = setup();
      engine.enqueue(announce(1, 5));
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(
        peersResult([
          [1, 2, 3, 4, 1000],
          [5, 6, 7, 8, 2000],
        ]),
      );
      await clock.settle();
      assert.equal(peers.length, 1);
      assert.deepEqual(peers[0]?.infoHash, Buffer.from(infoHashOf(5)));
      assert.equal(engine.stats(0).peersReceived, 2);
      assert.equal(engine.stats(0).successes, 1);
      assert.ok(engine.stats(0).lastSuccessAt > 0);
    });
  });

  describe('timeouts and retries', () => {
    it('times a request out, aborts it and retries it after the backoff', async () => {
      const { engine, clock, upstreams } = setup({ maxRetries: 2, retryBaseDelayMs: 1_000 });
      clock.randomValue = 0; // jitter at its low end: half the delay
      engine.enqueue(announce());
      await clock.settle();
      const first = upstreams[0]?.calls[0];
      await clock.advance(4_999);
      assert.equal(first?.signal.aborted, false);
      await clock.advance(1);
      assert.equal(first?.signal.aborted, true);
      assert.equal(engine.stats(0).failuresOf('timeout'), 1);
      assert.equal(engine.retriesWaiting, 1);
      await clock.advance(499);
      assert.equal(upstreams[0]?.calls.length, 1);
      await clock.advance(1);
      assert.equal(upstreams[0]?.calls.length, 2, 'retried after base/2 (jitter 0)');
      upstreams[0]?.calls[1]?.answer(peersResult());
      await clock.settle();
      assert.equal(engine.stats(0).retries, 1);
      assert.equal(engine.consecutiveFailures(0), 0);
    });

    it('backs off exponentially up to the maximum, jittered to 50-100 %', () => {
      const { engine, clock } = setup({ retryBaseDelayMs: 1_000, retryMaxDelayMs: 5_000 });
      clock.randomValue = 0.999999;
      assert.deepEqual(
        [1, 2, 3, 4, 5].map((r) => Math.round(engine.retryDelayMs(r))),
        [1_000, 2_000, 4_000, 5_000, 5_000],
      );
      clock.randomValue = 0;
      assert.deepEqual(
        [1, 2, 3, 4].map((r) => engine.retryDelayMs(r)),
        [500, 1_000, 2_000, 2_500],
      );
    });

    it('gives an announce up after max_retries', async () => {
      const { engine, clock, upstreams } = setup({ maxRetries: 1, suspendAfterFailures: 10 });
      engine.enqueue(announce());
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(REFUSED);
      await clock.advance(1_000); // the retry (750 ms with jitter 0.5)
      upstreams[0]?.calls[1]?.answer(REFUSED);
      await clock.advance(60_000);
      assert.equal(upstreams[0]?.calls.length, 2);
      assert.equal(engine.stats(0).failuresOf('network'), 2);
      assert.equal(engine.recordsInUse, 0);
    });

    it('does not retry a 4xx, nor a tracker failure reason', async () => {
      const { engine, clock, upstreams } = setup();
      engine.enqueue(announce(1));
      engine.enqueue(announce(2));
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(failure('http_status', 'HTTP 404', false));
      upstreams[0]?.calls[1]?.answer(failure('tracker_failure', 'torrent not registered', false));
      await clock.advance(120_000);
      assert.equal(upstreams[0]?.calls.length, 2);
      assert.equal(engine.stats(0).lastError, 'tracker_failure: torrent not registered');
    });

    it('counts a tracker failure reason as a sign of life', async () => {
      const { engine, clock, upstreams } = setup({ maxRetries: 0, suspendAfterFailures: 3 });
      for (let i = 0; i < 3; i++) engine.enqueue(announce(i));
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(REFUSED);
      upstreams[0]?.calls[1]?.answer(REFUSED);
      await clock.settle();
      assert.equal(engine.consecutiveFailures(0), 2);
      upstreams[0]?.calls[2]?.answer(failure('tracker_failure', 'unregistered torrent', false));
      await clock.settle();
      assert.equal(engine.consecutiveFailures(0), 0);
      assert.equal(engine.state(0), 'active');
    });
  });

  describe('suspension', () => {
    it('suspends after consecutive failures, drops its queue and new announces, then probes one at a time', async () => {
      const { engine, clock, upstreams, events } = setup({
        workers: 2,
        maxRetries: 0,
        suspendAfterFailures: 2,
        suspensionMs: 30_000,
      });
      for (let i = 0; i < 5; i++) engine.enqueue(announce(i));
      await clock.settle();
      upstreams[0]?.open.forEach((c) => c.answer(TIMEOUT));
      await clock.settle();
      assert.equal(engine.state(0), 'suspended');
      assert.deepEqual(events, ['suspended 0 30000']);
      assert.equal(engine.suspendedUntil(0), clock.now() + 30_000);
      assert.equal(engine.queueDepth, 0, 'its queued announces are dropped');
      assert.equal(engine.stats(0).droppedSuspended, 3);
      engine.enqueue(announce(9));
      assert.equal(engine.stats(0).droppedSuspended, 4, 'and so are new ones');
      assert.equal(engine.recordsInUse, 0);

      await clock.advance(30_000);
      assert.equal(engine.state(0), 'probing');
      for (let i = 0; i < 3; i++) engine.enqueue(announce(20 + i));
      await clock.settle();
      assert.equal(upstreams[0]?.open.length, 1, 'one probe at a time');
      upstreams[0]?.open[0]?.answer(peersResult());
      await clock.settle();
      assert.equal(engine.state(0), 'active');
      assert.deepEqual(events, ['suspended 0 30000', 'resumed 0']);
      assert.equal(upstreams[0]?.open.length, 2, 'back to its full share');
    });

    it('doubles the suspension after each failed probe, up to the maximum, and starts over after a success', async () => {
      const { engine, clock, upstreams, events } = setup({
        maxRetries: 0,
        suspendAfterFailures: 1,
        suspensionMs: 10_000,
        maxSuspensionMs: 35_000,
      });
      const failOnce = async () => {
        engine.enqueue(announce());
        await clock.settle();
        upstreams[0]?.open[0]?.answer(REFUSED);
        await clock.settle();
      };
      await failOnce();
      for (const wait of [10_000, 20_000, 35_000]) {
        await clock.advance(wait);
        await failOnce();
      }
      assert.deepEqual(events, ['suspended 0 10000', 'suspended 0 20000', 'suspended 0 35000', 'suspended 0 35000']);
      assert.equal(engine.stats(0).suspensions, 4);
      await clock.advance(35_000);
      engine.enqueue(announce());
      await clock.settle();
      upstreams[0]?.open[0]?.answer(peersResult());
      await clock.settle();
      await failOnce();
      assert.equal(events.at(-1), 'suspended 0 10000');
    });

    it('suspends at once on HTTP 429, for Retry-After (capped), and does not retry', async () => {
      const { engine, clock, upstreams, events } = setup({ maxSuspensionMs: 60_000 });
      engine.enqueue(announce(1));
      engine.enqueue(announce(2));
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(failure('rate_limited', 'HTTP 429', false, 5_000));
      await clock.settle();
      assert.equal(engine.state(0), 'suspended');
      assert.equal(engine.suspendedUntil(0), clock.now() + 5_000);
      upstreams[0]?.calls[1]?.answer(failure('rate_limited', 'HTTP 429', false, 3_600_000));
      await clock.settle();
      assert.deepEqual(events, ['suspended 0 5000', 'suspended 0 60000']);
      assert.equal(engine.stats(0).failuresOf('rate_limited'), 2);
      assert.equal(engine.stats(0).retries, 0);
    });

    it('uses the suspension schedule for a 429 without Retry-After', async () => {
      const { engine, clock, upstreams, events } = setup({ suspensionMs: 7_000 });
      engine.enqueue(announce());
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(failure('rate_limited', 'HTTP 429', false));
      await clock.settle();
      assert.deepEqual(events, ['suspended 0 7000']);
    });

    it('drops a retry that comes due while the forwarder is suspended', async () => {
      const { engine, clock, upstreams } = setup({ workers: 2, maxRetries: 3, suspendAfterFailures: 2 });
      clock.randomValue = 0;
      engine.enqueue(announce(1));
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(REFUSED); // retry in 500 ms
      await clock.settle();
      engine.enqueue(announce(2));
      await clock.settle();
      upstreams[0]?.calls[1]?.answer(REFUSED); // second failure: suspended
      await clock.settle();
      assert.equal(engine.state(0), 'suspended');
      await clock.advance(1_000);
      assert.equal(upstreams[0]?.calls.length, 2);
      assert.equal(engine.recordsInUse, 0);
    });

    it('keeps the other forwarders working while one is suspended', async () => {
      const { engine, clock, upstreams } = setup({ maxRetries: 0, suspendAfterFailures: 1 }, 2);
      upstreams[1]!.autoAnswer = peersResult();
      engine.enqueue(announce(1));
      await clock.settle();
      upstreams[0]?.calls[0]?.answer(REFUSED);
      await clock.settle();
      engine.enqueue(announce(2));
      await clock.settle();
      assert.equal(engine.state(0), 'suspended');
      assert.equal(upstreams[0]?.calls.length, 1);
      assert.equal(upstreams[1]?.calls.length, 2);
    });
  });

  describe('close', () => {
    it('aborts requests in flight, clears its timers and ignores later announces', async () => {
      const { engine, clock, upstreams } = setup();
      engine.enqueue(announce());
      await clock.settle();
      engine.close();
      assert.equal(upstreams[0]?.calls[0]?.signal.aborted, true);
      assert.equal(upstreams[0]?.closed, true);
      assert.equal(clock.pendingTimers, 0);
      engine.enqueue(announce());
      await clock.settle();
      assert.equal(upstreams[0]?.calls.length, 1);
    });
  });
});
