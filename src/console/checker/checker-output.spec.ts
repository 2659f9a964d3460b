import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCheckResults, renderCheckerText } from './checker-output.js';
import { passed, type CheckResult } from './checks.js';

const ok = { Ok: null } as const;

const results: CheckResult[] = [
  {
    Udp: {
      Ok: {
        remote_addr: '127.0.0.1:6969',
        results: [
          ['Setup', ok],
          ['Connect', ok],
          ['Announce', ok],
          ['Scrape', ok],
        ],
      },
    },
  },
  {
    Http: {
      Err: {
        url: 'http://127.0.0.1:7070/',
        results: [
          ['Announce', { Err: 'boom' }],
          ['Scrape', ok],
        ],
      },
    },
  },
  { Health: { Ok: { url: 'http://127.0.0.1:1313/health_check', result: { Ok: '200 OK' } } } },
];

describe('checker output', () => {
  it('prints Torrust`s array as one line of JSON with a newline (json)', () => {
    assert.equal(
      renderCheckResults(results, 'json'),
      '[{"Udp":{"Ok":{"remote_addr":"127.0.0.1:6969","results":[["Setup",{"Ok":null}],["Connect",{"Ok":null}],' +
        '["Announce",{"Ok":null}],["Scrape",{"Ok":null}]]}}},' +
        '{"Http":{"Err":{"url":"http://127.0.0.1:7070/","results":[["Announce",{"Err":"boom"}],["Scrape",{"Ok":null}]]}}},' +
        '{"Health":{"Ok":{"url":"http://127.0.0.1:1313/health_check","result":{"Ok":"200 OK"}}}}]\n',
    );
  });

  it('prints it indented as tracker_checker does (pretty)', () => {
    const text = renderCheckResults(results.slice(2), 'pretty');
    assert.equal(
      text,
      [
        '[',
        '  {',
        '    "Health": {',
        '      "Ok": {',
        '        "url": "http://127.0.0.1:1313/health_check",',
        '        "result": {',
        '          "Ok": "200 OK"',
        '        }',
        '      }',
        '    }',
        '  }',
        ']',
        '',
      ].join('\n'),
    );
  });

  it('prints a table, one row per check, and a summary (text)', () => {
    assert.equal(
      renderCheckerText(results),
      [
        'RESULT  TYPE    TARGET                              CHECK     DETAIL',
        'ok      UDP     127.0.0.1:6969                      Setup',
        'ok      UDP     127.0.0.1:6969                      Connect',
        'ok      UDP     127.0.0.1:6969                      Announce',
        'ok      UDP     127.0.0.1:6969                      Scrape',
        'FAIL    HTTP    http://127.0.0.1:7070/              Announce  boom',
        'ok      HTTP    http://127.0.0.1:7070/              Scrape',
        'ok      Health  http://127.0.0.1:1313/health_check  GET       200 OK',
        '',
        '2 of 3 checked entries passed, 1 failed.',
        '',
      ].join('\n'),
    );
  });

  it('counts an entry as passed only when its verdict is Ok', () => {
    assert.deepEqual(results.map(passed), [true, false, true]);
    const health: CheckResult = { Health: { Err: { url: 'http://h/', result: { Err: 'down' } } } };
    assert.equal(passed(health), false);
    assert.match(renderCheckerText([health]), /^FAIL\s+Health\s+http:\/\/h\/\s+GET\s+down$/m);
    assert.match(renderCheckerText([]), /0 of 0 checked entries passed, 0 failed\./);
  });
});
