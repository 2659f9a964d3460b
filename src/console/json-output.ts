/**
 * JSON text as serde_json prints it: `compact` is `to_string` (one line), `pretty` is
 * `to_string_pretty` (two-space indent, `[]`/`{}` when empty, same as `JSON.stringify(v, null, 2)`).
 * Bigints (64-bit connection ids) are written as plain JSON numbers.
 */

export type JsonStyle = 'compact' | 'pretty';

const BIGINT_MARK = '\u0000bigint:';
const BIGINT_PATTERN = /"\\u0000bigint:(-?\d+)"/g;

export function renderJson(value: unknown, style: JsonStyle): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? `${BIGINT_MARK}${v.toString()}` : v),
    style === 'pretty' ? 2 : undefined,
  );
  return text.replace(BIGINT_PATTERN, '$1');
}
