import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { percentEncode } from '../../src/protocol/http/percent.js';
import { TrackerCounters } from '../../src/stats/tracker-counters.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { UdpTestClient } from '../support/udp-client.js';

const HASH = Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex');

/** Every tracker metric the README documents. */
const DOCUMENTED = [
  'tracker_requests_total',
  'tracker_responses_total',
  'tracker_errors_total',
  'tracker_request_duration_seconds',
  'tracker_udp_banned_requests_total',
  'tracker_udp_discarded_requests_total',
  'tracker_udp_banned_ips',
  'tracker_udp_handler_failures_total',
  'tracker_torrents',
  'tracker_peers',
  'tracker_downloads',
  'tracker_database_write_queue_depth',
  'tracker_database_writes_total',
  'tracker_database_write_failures_total',
  'process_cpu_user_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_seconds',
];

async function metricsText(app: TestApp): Promise<string> {
  const res = await app.tracker.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  return res.body;
}

/** Parsed with a Prometheus text-format parser (it throws on any malformed line). */
async function scrapeMetrics(app: TestApp): Promise<ParsedFamily[]> {
  return parsePrometheusTextFormat(await metricsText(app));
}

function sample(families: ParsedFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  assert.ok(family, `${name} is exported`);
  const matches = family.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return matches.reduce((total, m) => total + Number(m.value ?? m.count ?? 0), 0);
}

async function httpAnnounce(base: string, peer: number, left: number): Promise<void> {
  const peerId = Buffer.from(`-qB0000-${String(peer).padStart(12, '0')}`);
  const res = await fetch(
    `${base}/announce?info_hash=${percentEncode(HASH)}&peer_id=${percentEncode(peerId)}&port=${6000 + peer}&left=${left}`,
  );
  assert.equal(res.status, 200);
  await res.arrayBuffer();
}

describe('metrics and counters', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp({ udp: ['127.0.0.1:0', '[::1]:0'], http: ['127.0.0.1:0', '[::1]:0'] });
    for (const [i, listener] of app.udp.entries()) {
      const c = await UdpTestClient.open(listener);
      const id = await c.connect();
      await c.announce({
        infoHash: HASH,
        peerId: Buffer.from(`-UDP000-${String(i).padStart(12, '0')}`),
        connectionId: id,
        left: 0,
      });
      await c.scrape([HASH], id);
      await c.request(Buffer.from([1, 2, 3])); // an error reply
      await c.close();
    }
    for (const [i, listener] of app.http.entries()) {
      await httpAnnounce(listener.url, i + 10, 100);
      await (await fetch(`${listener.url}/scrape?info_hash=${percentEncode(HASH)}`)).arrayBuffer();
      await (await fetch(`${listener.url}/announce`)).arrayBuffer(); // a failure reason
    }
  });
  after(() => app.close());

  it('exports every documented metric name, parsable by a Prometheus text parser', async () => {
    const families = await scrapeMetrics(app);
    const names = new Set(families.map((f) => f.name));
    for (const name of DOCUMENTED) assert.ok(names.has(name), `missing ${name}`);
    assert.equal(families.find((f) => f.name === 'tracker_request_duration_seconds')?.type, 'HISTOGRAM');
    assert.equal(families.find((f) => f.name === 'tracker_requests_total')?.type, 'COUNTER');
  });

  it('counts UDP and HTTP requests by protocol, family, kind and listener', async () => {
    const m = await scrapeMetrics(app);
    for (const family of ['inet', 'inet6']) {
      for (const kind of ['connect', 'announce', 'scrape']) {
        assert.equal(
          sample(m, 'tracker_requests_total', { protocol: 'udp', family, kind }),
          1,
          `udp ${family} ${kind}`,
        );
      }
      assert.equal(
        sample(m, 'tracker_requests_total', { protocol: 'http', family, kind: 'announce' }),
        2,
        `http ${family}`,
      );
      assert.equal(sample(m, 'tracker_requests_total', { protocol: 'http', family, kind: 'scrape' }), 1);
      assert.equal(sample(m, 'tracker_errors_total', { protocol: 'udp', family }), 1);
      assert.equal(sample(m, 'tracker_errors_total', { protocol: 'http', family }), 1);
      assert.equal(sample(m, 'tracker_responses_total', { protocol: 'udp', family }), 4);
    }
    const listener = app.udp[0].url;
    assert.equal(sample(m, 'tracker_requests_total', { protocol: 'udp', listener, kind: 'announce' }), 1);
    // The parser flattens labelled histograms, so these lines are read as text.
    const text = await metricsText(app);
    assert.match(text, /^tracker_request_duration_seconds_count\{protocol="udp",kind="announce"\} 2$/m);
    assert.match(text, /^tracker_request_duration_seconds_bucket\{protocol="udp",kind="announce",le="\+Inf"\} 2$/m);
    assert.match(text, /^tracker_request_duration_seconds_count\{protocol="http",kind="scrape"\} 2$/m);
  });

  it('keeps swarm gauges in step with the swarms', async () => {
    const m = await scrapeMetrics(app);
    assert.equal(sample(m, 'tracker_torrents'), 1);
    assert.equal(sample(m, 'tracker_peers', { role: 'seeder' }), 2);
    assert.equal(sample(m, 'tracker_peers', { role: 'leecher' }), 2);
  });

  it('moves the Torrust stats counters for both families', () => {
    const c = app.tracker.app.get(TrackerCounters);
    for (const f of ['4', '6'] as const) {
      assert.equal(c[`udp${f}_connections_handled`], 1);
      assert.equal(c[`udp${f}_announces_handled`], 1);
      assert.equal(c[`udp${f}_scrapes_handled`], 1);
      assert.equal(c[`udp${f}_errors_handled`], 1);
      assert.equal(c[`tcp${f}_announces_handled`], 1);
      assert.equal(c[`tcp${f}_scrapes_handled`], 1);
      assert.equal(c[`tcp${f}_connections_handled`], 2);
    }
  });

  it('exports no request counts when tracker_usage_statistics is false', async () => {
    const quiet = await createTestApp({ core: ['tracker_usage_statistics = false'] });
    try {
      await httpAnnounce(quiet.http[0].url, 1, 0);
      const m = await scrapeMetrics(quiet);
      assert.equal(sample(m, 'tracker_requests_total'), 0);
      assert.equal(sample(m, 'tracker_peers', { role: 'seeder' }), 1, 'swarm gauges are not protocol counters');
    } finally {
      await quiet.close();
    }
  });
});

describe('/metrics access', () => {
  it('needs no token by default', async () => {
    const app = await createTestApp({ udp: [] });
    try {
      const res = await fetch(`${app.api!.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^# HELP /m);
    } finally {
      await app.close();
    }
  });

  it('needs an API token with metrics_require_token = true, answering like the API', async () => {
    const app = await createTestApp({ udp: [], overrides: { HTTP_API__METRICS_REQUIRE_TOKEN: 'true' } });
    try {
      const missing = await fetch(`${app.api!.url}/metrics`);
      assert.equal(missing.status, 500);
      assert.equal(await missing.text(), 'Unhandled rejection: Err { reason: "unauthorized" }');
      const wrong = await fetch(`${app.api!.url}/metrics?token=nope`);
      assert.equal(await wrong.text(), 'Unhandled rejection: Err { reason: "token not valid" }');
      const ok = await fetch(`${app.api!.url}/metrics`, { headers: { authorization: 'Bearer MyAccessToken' } });
      assert.equal(ok.status, 200);
    } finally {
      await app.close();
    }
  });
});
