import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runProgram, type ConsoleIo, type ProgramName } from './main.js';

async function run(program: ProgramName, argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: ConsoleIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env };
  const code = await runProgram(program, argv, io);
  return { code, stdout, stderr };
}

describe('runProgram', () => {
  it('prints help on stdout and exits 0', async () => {
    const r = await run('tracker-client', ['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Console client for BitTorrent trackers/);
    assert.equal(r.stderr, '');
  });

  it('prints the version', async () => {
    const r = await run('tracker_checker', ['-V']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^tracker_checker \d+\.\d+\.\d+\n$/);
  });

  it('reports a usage error clap-style on stderr with exit 2', async () => {
    const r = await run('udp_tracker_client', ['announce', 'localhost', 'x']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'error: invalid address format: `localhost`. Expected format is host:port or udp://host:port\n\n' +
        'Usage: udp_tracker_client announce <TRACKER> <INFO_HASH> [OPTIONS] | udp_tracker_client scrape <TRACKER> <INFO_HASH>...\n\n' +
        "For more information, try '--help'.\n",
    );
  });

  it('reports an invalid checker configuration with the JSON envelope and exit 2', async () => {
    const r = await run('tracker_checker', [], { TORRUST_CHECKER_CONFIG: '{"udp_trackers": []}' });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      '{"error":{"kind":"invalid_configuration","source":"TORRUST_CHECKER_CONFIG","message":"missing field `http_trackers`"}}\n',
    );
  });

  it('names the file as the source when the configuration came from -c', async () => {
    const r = await run('tracker-client', ['check', '-c', '/nonexistent/checker.json']);
    assert.equal(r.code, 2);
    const envelope = JSON.parse(r.stderr) as { error: { source: string; message: string } };
    assert.equal(envelope.error.source, '/nonexistent/checker.json');
    assert.match(envelope.error.message, /^can't read config file \/nonexistent\/checker\.json: ENOENT$/);
  });

  it('prints an empty result array and exits 0 for an empty configuration', async () => {
    const r = await run('tracker_checker', ['{"udp_trackers": [], "http_trackers": [], "health_checks": []}']);
    assert.deepEqual(r, { code: 0, stdout: '[]\n', stderr: '' });
  });
});
