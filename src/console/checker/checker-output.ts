/**
 * How the checker prints its results: Torrust's JSON array (`json` compact, `pretty` as
 * `tracker_checker` prints it), or `text`, a table with one row per check and a summary line
 * for people reading a terminal or a cron mail.
 */
import { renderJson } from '../json-output.js';
import { passed, type CheckOutcome, type CheckResult } from './checks.js';

export type CheckerFormat = 'json' | 'pretty' | 'text';

interface Row {
  result: string;
  type: string;
  target: string;
  check: string;
  detail: string;
}

function outcomeRow(type: string, target: string, check: string, outcome: CheckOutcome): Row {
  return 'Ok' in outcome
    ? { result: 'ok', type, target, check, detail: '' }
    : { result: 'FAIL', type, target, check, detail: outcome.Err };
}

function rows(result: CheckResult): Row[] {
  if ('Udp' in result) {
    const c = 'Ok' in result.Udp ? result.Udp.Ok : result.Udp.Err;
    return c.results.map(([name, outcome]) => outcomeRow('UDP', c.remote_addr, name, outcome));
  }
  if ('Http' in result) {
    const c = 'Ok' in result.Http ? result.Http.Ok : result.Http.Err;
    return c.results.map(([name, outcome]) => outcomeRow('HTTP', c.url, name, outcome));
  }
  const c = 'Ok' in result.Health ? result.Health.Ok : result.Health.Err;
  return [
    'Ok' in c.result
      ? { result: 'ok', type: 'Health', target: c.url, check: 'GET', detail: c.result.Ok }
      : { result: 'FAIL', type: 'Health', target: c.url, check: 'GET', detail: c.result.Err },
  ];
}

export function renderCheckerText(results: readonly CheckResult[]): string {
  const header: Row = { result: 'RESULT', type: 'TYPE', target: 'TARGET', check: 'CHECK', detail: 'DETAIL' };
  const all = [header, ...results.flatMap(rows)];
  const width = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const w = { result: width('result'), type: width('type'), target: width('target'), check: width('check') };
  const lines = all.map((r) =>
    [r.result.padEnd(w.result), r.type.padEnd(w.type), r.target.padEnd(w.target), r.check.padEnd(w.check), r.detail]
      .join('  ')
      .trimEnd(),
  );
  const ok = results.filter(passed).length;
  const failed = results.length - ok;
  lines.push(
    '',
    `${ok} of ${results.length} checked ${results.length === 1 ? 'entry' : 'entries'} passed, ${failed} failed.`,
  );
  return lines.join('\n') + '\n';
}

/** The text written to stdout (with its trailing newline, as Torrust's `println!`). */
export function renderCheckResults(results: readonly CheckResult[], format: CheckerFormat): string {
  if (format === 'text') return renderCheckerText(results);
  return renderJson(results, format === 'pretty' ? 'pretty' : 'compact') + '\n';
}
