import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientErrorSummary } from './client-error-summary.js';
import { TrackerCounters } from './tracker-counters.js';

describe('ClientErrorSummary', () => {
  it('writes nothing when no client erred', () => {
    const summary = new ClientErrorSummary(new TrackerCounters());
    assert.equal(summary.report(), null);
  });

  it('sums up the errors since the previous report, once', () => {
    const counters = new TrackerCounters();
    const summary = new ClientErrorSummary(counters);
    counters.udp4_errors_handled += 3;
    counters.udp6_errors_handled += 2;
    counters.udp_connection_id_errors += 4;
    counters.udp_requests_banned += 7;
    counters.http_failures += 1;
    assert.equal(
      summary.report(),
      'Since the last report: 5 UDP error replies (4 for bad connection ids), 7 UDP datagrams dropped from banned IPs, 1 HTTP failure replies',
    );
    assert.equal(summary.report(), null);
  });
});
