import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadtestUsageError, parseLoadtestArgs, scrapeUrlOf, type LoadtestOptions } from './options.js';

function parse(...argv: string[]): LoadtestOptions {
  const r = parseLoadtestArgs(argv, 4);
  assert.equal(r.help, false);
  return (r as { options: LoadtestOptions }).options;
}

function rejects(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseLoadtestArgs(argv, 4),
    (e: unknown) => e instanceof LoadtestUsageError && message.test(e.message),
  );
}

describe('loadtest options', () => {
  it('has the documented defaults', () => {
    const o = parse('udp', '127.0.0.1:6969');
    assert.deepEqual(o, {
      mode: 'udp',
      target: '127.0.0.1:6969',
      host: '127.0.0.1',
      port: 6969,
      torrents: 10000,
      peers: 1000,
      pareto: 2,
      announcePct: 80,
      numwant: 50,
      duration: 10,
      concurrency: 64,
      workers: 1,
      seed: 1,
      json: false,
    });
  });

  it('parses every option, both as two words and with =', () => {
    const o = parse(
      'http',
      'https://tracker.example:8443/announce',
      '--torrents',
      '5',
      '--peers=7',
      '--pareto',
      '0',
      '--announce-pct',
      '100',
      '--numwant',
      '0',
      '--duration',
      '2.5',
      '--concurrency',
      '4096',
      '--workers',
      '4',
      '--seed',
      '42',
      '--json',
    );
    assert.equal(o.mode, 'http');
    assert.equal(o.host, 'tracker.example');
    assert.equal(o.port, 8443);
    assert.deepEqual(
      [o.torrents, o.peers, o.pareto, o.announcePct, o.numwant, o.duration, o.concurrency, o.workers, o.seed, o.json],
      [5, 7, 0, 100, 0, 2.5, 4096, 4, 42, true],
    );
  });

  it('takes [IPv6]:port and default http ports', () => {
    assert.equal(parse('udp', '[::1]:6969').host, '::1');
    assert.equal(parse('http', 'http://127.0.0.1/announce').port, 80);
    assert.equal(parse('http', 'https://127.0.0.1/announce').port, 443);
  });

  it('asks for help', () => {
    assert.deepEqual(parseLoadtestArgs(['--help'], 4), { help: true });
  });

  it('refuses absurd or malformed settings with a clear message', () => {
    rejects(['udp', '127.0.0.1:6969', '--duration', '301'], /--duration must be between 0.1 and 300/);
    rejects(['udp', '127.0.0.1:6969', '--concurrency', '4097'], /--concurrency must be between 1 and 4096/);
    rejects(['udp', '127.0.0.1:6969', '--workers', '5'], /--workers must be between 1 and 4 \(the number of CPUs\)/);
    rejects(['udp', '127.0.0.1:6969', '--torrents', '0'], /--torrents must be between 1/);
    rejects(['udp', '127.0.0.1:6969', '--announce-pct', '101'], /--announce-pct must be between 0 and 100/);
    rejects(['udp', '127.0.0.1:6969', '--announce-pct', '-1'], /--announce-pct must be between 0 and 100/);
    rejects(['udp', '127.0.0.1:6969', '--peers', '1.5'], /--peers: not an integer/);
    rejects(['udp', '127.0.0.1:6969', '--seed', 'x'], /--seed: not a number/);
    rejects(['udp', '127.0.0.1:6969', '--seed'], /--seed needs a value/);
    rejects(['udp', '127.0.0.1:6969', '--bogus', '1'], /unknown option '--bogus'/);
    rejects(['udp', '127.0.0.1'], /HOST:PORT/);
    rejects(['udp', '127.0.0.1:0'], /port must be 1..65535/);
    rejects(['udp', '127.0.0.1:70000'], /port must be 1..65535/);
    rejects(['http', 'udp://127.0.0.1:6969/announce'], /http:\/\/ or https:\/\//);
    rejects(['http', 'not a url'], /not a URL/);
    rejects(['http', 'http://127.0.0.1:7070/announce?x=1'], /query/);
    rejects(['http', 'http://127.0.0.1:7070/'], /--announce-pct 100/);
    rejects(['tcp', 'x:1'], /unknown mode 'tcp'/);
    rejects([], /missing mode/);
    rejects(['udp'], /missing HOST:PORT/);
    rejects(['udp', 'a:1', 'b'], /unexpected argument 'b'/);
  });

  it('derives the scrape URL (BEP 48 convention)', () => {
    assert.equal(scrapeUrlOf('http://h:1/announce'), 'http://h:1/scrape');
    assert.equal(scrapeUrlOf('http://h:1/KEY/announce.php'), 'http://h:1/KEY/scrape.php');
    assert.equal(scrapeUrlOf('http://h:1/a'), undefined);
  });
});
