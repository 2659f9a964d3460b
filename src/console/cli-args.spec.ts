import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_STARTED, EVENT_STOPPED } from '../protocol/bep15/index.js';
import { parseCommandLine, type Command, type ProgramName } from './cli-args.js';
import { UsageError } from './cli-error.js';

const IH = '9c38422213e30bff212b30c360d26f9a02136422';
const ctx = { env: {}, random: () => 0.5 };

function parse(program: ProgramName, args: string[], env: NodeJS.ProcessEnv = {}): Command {
  return parseCommandLine(program, args, { ...ctx, env });
}

function usageError(program: ProgramName, args: string[], message: RegExp, env: NodeJS.ProcessEnv = {}): UsageError {
  try {
    parse(program, args, env);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.match(error.message, message);
    assert.match(error.usage, /^Usage: /);
    return error;
  }
  assert.fail(`expected "${args.join(' ')}" to be rejected`);
}

function as<K extends Command['kind']>(command: Command, kind: K): Extract<Command, { kind: K }> {
  assert.equal(command.kind, kind);
  return command as Extract<Command, { kind: K }>;
}

describe('console command line', () => {
  describe('udp_tracker_client (Torrust baseline)', () => {
    it('announce: tracker, info-hash and Torrust defaults, pretty output, 5 s', () => {
      const c = as(parse('udp_tracker_client', ['announce', '127.0.0.1:6969', IH]), 'udp-announce');
      assert.deepEqual(c.tracker, { host: '127.0.0.1', port: 6969 });
      assert.equal(c.params.infoHash.toString('hex'), IH);
      assert.equal(c.params.peerId.toString(), '-qB00000000000000001');
      assert.equal(c.params.event, EVENT_STARTED);
      assert.equal(c.params.numWant, 1);
      assert.equal(c.params.key, 0);
      assert.equal(c.params.ipAddress, 0);
      assert.deepEqual([c.params.downloaded, c.params.uploaded, c.params.left], [0n, 0n, 0n]);
      assert.equal(c.params.port, undefined, 'the local socket port');
      assert.equal(c.style, 'pretty');
      assert.equal(c.timeoutMs, 5000);
    });

    it('scrape: 1 to 74 info-hashes', () => {
      const c = as(parse('udp_tracker_client', ['scrape', 'udp://h:1/scrape', `${IH} ${IH}`, IH]), 'udp-scrape');
      assert.equal(c.infoHashes.length, 3);
      const many = Array.from({ length: 74 }, () => IH);
      assert.equal(as(parse('udp_tracker_client', ['scrape', 'h:1', ...many]), 'udp-scrape').infoHashes.length, 74);
      usageError('udp_tracker_client', ['scrape', 'h:1', ...many, IH], /at most 74 info-hashes per scrape, got 75/);
      usageError('udp_tracker_client', ['scrape', 'h:1'], /required arguments were not provided: <INFO_HASH>\.\.\./);
    });

    it('rejects bad input as usage errors', () => {
      usageError('udp_tracker_client', [], /a subcommand is required/);
      usageError('udp_tracker_client', ['connect', 'h:1'], /unrecognized subcommand 'connect'/);
      usageError('udp_tracker_client', ['announce', 'h', IH], /invalid address format/);
      usageError('udp_tracker_client', ['announce', 'h:1', 'xyz'], /failed to parse info-hash `xyz`/);
      usageError('udp_tracker_client', ['announce', 'h:1', IH, IH], /unexpected argument/);
      usageError('udp_tracker_client', ['announce', 'h:1', IH, '--nope'], /Unknown option '--nope'/);
    });

    it('gives help and version', () => {
      assert.match(as(parse('udp_tracker_client', ['--help']), 'help').text, /Usage: udp_tracker_client announce/);
      assert.match(as(parse('udp_tracker_client', ['announce', '-h']), 'help').text, /Differences from Torrust/);
      assert.equal(parse('udp_tracker_client', ['--version']).kind, 'version');
    });
  });

  describe('tracker-client udp (Torrust newer CLI)', () => {
    it('defaults to compact JSON and a -RC3000- peer id with 12 digits', () => {
      const c = as(parse('tracker-client', ['udp', 'announce', 'udp://[::1]:6969', IH]), 'udp-announce');
      assert.equal(c.style, 'compact');
      assert.equal(c.params.peerId.toString(), '-RC3000-555555555555');
      assert.deepEqual(c.tracker, { host: '::1', port: 6969 });
    });

    it('reads every announce flag, with peer ids and negative numbers as separate arguments', () => {
      const c = as(
        parse('tracker-client', [
          'udp',
          'announce',
          'h:1',
          IH,
          '--event',
          'stopped',
          '--uploaded',
          '1',
          '--downloaded',
          '2',
          '--left',
          '9223372036854775807',
          '--port',
          '6881',
          '--ip-address',
          '10.0.0.1',
          '--peer-id',
          '-XX0000-000000000001',
          '--key',
          '-5',
          '--peers-wanted',
          '-1',
          '--format',
          'text',
          '--timeout',
          '0.5',
        ]),
        'udp-announce',
      );
      assert.equal(c.params.event, EVENT_STOPPED);
      assert.deepEqual([c.params.uploaded, c.params.downloaded, c.params.left], [1n, 2n, (1n << 63n) - 1n]);
      assert.equal(c.params.port, 6881);
      assert.deepEqual(c.params.ipAddress, Buffer.from([10, 0, 0, 1]));
      assert.equal(c.params.peerId.toString(), '-XX0000-000000000001');
      assert.equal(c.params.key, -5);
      assert.equal(c.params.numWant, -1);
      assert.equal(c.style, 'pretty');
      assert.equal(c.timeoutMs, 500);
    });

    it('rejects out-of-range flag values', () => {
      const base = ['udp', 'announce', 'h:1', IH];
      usageError('tracker-client', [...base, '--port', '0'], /port must be greater than zero/);
      usageError('tracker-client', [...base, '--port', '65536'], /invalid port value/);
      usageError('tracker-client', [...base, '--left', '9223372036854775808'], /too large to fit in i64/);
      usageError('tracker-client', [...base, '--key', '2147483648'], /32-bit signed integer/);
      usageError('tracker-client', [...base, '--ip-address', '::1'], /expected an IPv4 address/);
      usageError('tracker-client', [...base, '--peer-id', '-XX0000-'], /exactly 20 bytes, got 8 bytes/);
      usageError(
        'tracker-client',
        [...base, '--event', 'paused'],
        /possible values: none, completed, started, stopped/,
      );
      usageError('tracker-client', [...base, '--format', 'yaml'], /possible values: json, text, pretty/);
      usageError('tracker-client', [...base, '--timeout', '0'], /positive number of seconds/);
    });

    it('names the unified subcommands in its errors and help', () => {
      usageError('tracker-client', [], /a command is required: udp, http or check/);
      usageError('tracker-client', ['tcp'], /unrecognized subcommand 'tcp'/);
      assert.match(as(parse('tracker-client', ['-h']), 'help').text, /Usage: tracker-client <COMMAND>/);
      assert.match(as(parse('tracker-client', ['udp', 'help']), 'help').text, /tracker-client udp announce/);
    });
  });

  describe('http_tracker_client and tracker-client http', () => {
    it('announce: Torrust defaults, event completed (baseline) or started (newer CLI)', () => {
      const classic = as(parse('http_tracker_client', ['announce', 'http://127.0.0.1:7070', IH]), 'http-announce');
      assert.equal(classic.tracker.href, 'http://127.0.0.1:7070/');
      assert.equal(classic.params.event, 'completed');
      assert.equal(classic.params.compact, 0);
      assert.equal(classic.params.port, 17548);
      assert.equal(classic.params.peerAddr, '192.168.1.88');
      assert.equal(classic.params.peerId.toString(), '-qB00000000000000001');
      assert.equal(classic.style, 'compact');
      assert.equal(classic.insecure, false);
      const unified = as(parse('tracker-client', ['http', 'announce', 'https://h/announce', IH]), 'http-announce');
      assert.equal(unified.params.event, 'started');
    });

    it('reads the announce flags', () => {
      const c = as(
        parse('tracker-client', [
          'http',
          'announce',
          'http://h:1',
          IH,
          '--event',
          'stopped',
          '--left',
          '5',
          '--port',
          '6881',
          '--peer-addr',
          '::0001',
          '--peer-id',
          '-XX0000-000000000001',
          '--compact',
          '1',
          '-k',
        ]),
        'http-announce',
      );
      assert.equal(c.params.event, 'stopped');
      assert.equal(c.params.left, 5n);
      assert.equal(c.params.port, 6881);
      assert.equal(c.params.peerAddr, '::1');
      assert.equal(c.params.peerId.toString(), '-XX0000-000000000001');
      assert.equal(c.params.compact, 1);
      assert.equal(c.insecure, true);
    });

    it('scrape: zero or more info-hashes', () => {
      assert.equal(as(parse('http_tracker_client', ['scrape', 'http://h:1']), 'http-scrape').infoHashes.length, 0);
      const c = as(parse('http_tracker_client', ['scrape', 'http://h:1', IH, IH, '--insecure']), 'http-scrape');
      assert.equal(c.infoHashes.length, 2);
      assert.equal(c.insecure, true);
    });

    it('rejects bad URLs and values', () => {
      usageError('http_tracker_client', ['announce', 'nope', IH], /failed to parse HTTP tracker URL/);
      usageError('http_tracker_client', ['announce', 'http://h:1/?a=1', IH], /without a query or fragment/);
      usageError('http_tracker_client', ['announce', 'http://h:1', 'short'], /failed to parse info-hash/);
      usageError('tracker-client', ['http', 'announce', 'http://h:1', IH, '--compact', '2'], /possible values: 0, 1/);
      usageError('tracker-client', ['http', 'announce', 'http://h:1', IH, '--event', 'none'], /possible values/);
      usageError(
        'tracker-client',
        ['http', 'announce', 'http://h:1', IH, '--peer-addr', 'x'],
        /expected an IP address/,
      );
    });
  });

  describe('tracker_checker and tracker-client check', () => {
    it('takes the path from -c/--config-path/--config, else TORRUST_CHECKER_CONFIG_PATH', () => {
      for (const args of [
        ['-c', 'a.json'],
        ['--config-path', 'a.json'],
        ['--config', 'a.json'],
      ]) {
        assert.deepEqual(as(parse('tracker_checker', args), 'check').config, { kind: 'file', path: 'a.json' });
      }
      const env = { TORRUST_CHECKER_CONFIG_PATH: 'env.json', TORRUST_CHECKER_CONFIG: '{}' };
      assert.deepEqual(as(parse('tracker_checker', [], env), 'check').config, { kind: 'file', path: 'env.json' });
      assert.deepEqual(as(parse('tracker_checker', ['-c', 'a.json'], env), 'check').config, {
        kind: 'file',
        path: 'a.json',
      });
    });

    it('else takes inline JSON from the argument, else TORRUST_CHECKER_CONFIG', () => {
      const env = { TORRUST_CHECKER_CONFIG: '{"env":1}' };
      assert.deepEqual(as(parse('tracker_checker', ['{"arg":1}'], env), 'check').config, {
        kind: 'json',
        json: '{"arg":1}',
        source: 'TORRUST_CHECKER_CONFIG',
      });
      assert.deepEqual(as(parse('tracker_checker', [], env), 'check').config, {
        kind: 'json',
        json: '{"env":1}',
        source: 'TORRUST_CHECKER_CONFIG',
      });
      assert.deepEqual(as(parse('tracker_checker', []), 'check').config, { kind: 'none' });
    });

    it('prints pretty JSON (tracker_checker) or one line (tracker-client check) unless --format says otherwise', () => {
      const classic = as(parse('tracker_checker', ['{}']), 'check');
      assert.equal(classic.format, 'pretty');
      assert.equal(classic.peerId.toString(), '-qB00000000000000001');
      const unified = as(parse('tracker-client', ['check', '{}']), 'check');
      assert.equal(unified.format, 'json');
      assert.equal(as(parse('tracker-client', ['check', '--format', 'text', '{}']), 'check').format, 'text');
      const c = as(parse('tracker_checker', ['--timeout', '2', '-k', '{}']), 'check');
      assert.deepEqual([c.timeoutMs, c.insecure], [2000, true]);
      usageError('tracker_checker', ['{}', '{}'], /unexpected argument/);
      usageError('tracker_checker', ['--format', 'table'], /possible values: json, pretty, text/);
    });

    it('parses monitor udp with Torrust defaults', () => {
      const c = as(
        parse('tracker-client', ['check', 'monitor', 'udp', '--url', 'udp://127.0.0.1:6969']),
        'monitor-udp',
      );
      assert.deepEqual(
        { ...c.config, infoHash: c.config.infoHash.toString('hex'), peerId: c.config.peerId.toString() },
        {
          url: 'udp://127.0.0.1:6969',
          host: '127.0.0.1',
          port: 6969,
          intervalMs: 300_000,
          timeoutMs: 10_000,
          durationMs: 86_400_000,
          infoHash: IH,
          peerId: '-RC3000-555555555555',
        },
      );
      usageError('tracker-client', ['check', 'monitor', 'udp'], /--url <URL>/);
      usageError('tracker-client', ['check', 'monitor', 'udp', '--url', 'http://h:1'], /scheme must be udp/);
      usageError('tracker-client', ['check', 'monitor', 'tcp'], /expected udp/);
    });
  });
});
