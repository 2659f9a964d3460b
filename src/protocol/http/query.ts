/**
 * Raw query-string splitting for the HTTP tracker (BEP 3 announce, BEP 48 scrape), as Torrust's
 * `query.rs` does it: trim, strip leading `?`, split on `&`, each piece must be exactly `name=value`
 * (else `invalid param <piece>`), names and values stay raw (percent-encoded). Our fix
 * (DECISIONS.md): empty pieces (`&&`, a trailing `&`, `?` alone) are ignored.
 */

export const QUERY_LOCATION = 'src/protocol/http/query.ts';

/** `Bad request. Cannot parse query params: invalid param <piece> in <location>` (error-texts.md). */
export function invalidQueryParamFailure(piece: string): string {
  return `Bad request. Cannot parse query params: invalid param ${piece} in ${QUERY_LOCATION}`;
}

/**
 * The raw query of a request target: the text after the first `?` (possibly empty), or undefined
 * when there is no `?` at all (Torrust's "missing query params").
 */
export function rawQueryOf(url: string): string | undefined {
  const q = url.indexOf('?');
  return q < 0 ? undefined : url.slice(q + 1);
}

/**
 * Calls `visit(name, value)` for every `name=value` piece in order (both raw). Returns undefined
 * when every piece is well formed, else the first malformed piece (no `=`, or more than one);
 * in that case `visit` may already have been called for earlier pieces.
 */
export function scanQuery(raw: string, visit: (name: string, value: string) => void): string | undefined {
  let text = raw;
  let first = 0;
  let last = text.length;
  const c0 = text.charCodeAt(0);
  const cn = text.charCodeAt(last - 1);
  // Slow path only when an end may be whitespace (ASCII control/space or non-ASCII) or a `?`.
  if (last > 0 && (c0 <= 0x20 || c0 >= 0x80 || cn <= 0x20 || cn >= 0x80 || c0 === 0x3f)) {
    text = text.trim();
    last = text.length;
    while (first < last && text.charCodeAt(first) === 0x3f /* ? */) first++;
  }
  let start = first;
  let eq = -1;
  let extraEq = false;
  for (let i = first; i <= last; i++) {
    const c = i < last ? text.charCodeAt(i) : 0x26;
    if (c === 0x3d /* = */) {
      if (eq < 0) eq = i;
      else extraEq = true;
    } else if (c === 0x26 /* & */) {
      if (i > start) {
        if (eq < 0 || extraEq) return text.slice(start, i);
        visit(text.slice(start, eq), text.slice(eq + 1, i));
      }
      start = i + 1;
      eq = -1;
      extraEq = false;
    }
  }
  return undefined;
}

/** All parameters of a query, in order, raw. */
export class QueryParams {
  readonly names: string[] = [];
  readonly values: string[] = [];

  get size(): number {
    return this.names.length;
  }

  /** The first value of `name` (Torrust: the first occurrence wins). */
  get(name: string): string | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.names[i] === name) out.push(this.values[i]);
    return out;
  }
}

export type QueryParseResult =
  | { ok: true; params: QueryParams }
  | { ok: false; /** The malformed piece. */ piece: string; /** The full failure reason. */ reason: string };

/** Splits a raw query into its parameters, or reports the first malformed piece. */
export function parseQuery(raw: string): QueryParseResult {
  const params = new QueryParams();
  const bad = scanQuery(raw, (name, value) => {
    params.names.push(name);
    params.values.push(value);
  });
  return bad === undefined ? { ok: true, params } : { ok: false, piece: bad, reason: invalidQueryParamFailure(bad) };
}
