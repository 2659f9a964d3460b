/**
 * Reads a retracker-style `forwarders.yml` (github.com/vvampirius/retracker): a YAML list of
 * maps with the keys `uri`, `ip`, `host` and `name`. There is no YAML library in this project,
 * so only that small subset is understood — block sequence items (`- key: value`) whose
 * further keys are indented below them, plain or quoted ('…', "…") scalar values, `#`
 * comments, blank lines, and an empty document or `[]` for no entries. Anything else is an
 * error naming the line. Unknown keys are kept and ignored by the loader, as in TOML.
 */

export interface ForwardersFileEntry {
  /** 1-based line of the entry's `-`. */
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

export type ForwardersFileResult =
  | { readonly ok: true; readonly entries: readonly ForwardersFileEntry[] }
  | { readonly ok: false; readonly line: number; readonly reason: string };

const KEY_VALUE = /^([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$/;

/** Parses the subset described above. */
export function parseForwardersFile(text: string): ForwardersFileResult {
  const entries: Array<{ line: number; values: Record<string, string> }> = [];
  let current: { line: number; values: Record<string, string> } | null = null;
  let itemIndent = -1;
  let keyIndent = -1;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] as string;
    if (raw.includes('\t') && /^\s*\t/.test(raw)) return fail(lineNo, 'tabs are not allowed for indentation');
    const stripped = stripComment(raw);
    if (stripped === null) return fail(lineNo, 'unterminated quoted value');
    const content = stripped.trimEnd();
    if (content.trim() === '') continue;
    if (content.trim() === '---') {
      if (entries.length > 0 || current !== null) return fail(lineNo, 'only one YAML document is supported');
      continue;
    }
    if (content.trim() === '[]') {
      if (entries.length > 0) return fail(lineNo, '[] must be the whole document');
      continue;
    }
    const indent = content.length - content.trimStart().length;
    const body = content.trimStart();
    if (body === '-' || body.startsWith('- ')) {
      if (itemIndent >= 0 && indent !== itemIndent)
        return fail(lineNo, 'list items must all have the same indentation');
      itemIndent = indent;
      current = { line: lineNo, values: Object.create(null) as Record<string, string> };
      entries.push(current);
      const rest = body.slice(1).trimStart();
      keyIndent = indent + (body.length - rest.length);
      if (rest !== '') {
        const problem = readPair(rest, current.values);
        if (problem !== null) return fail(lineNo, problem);
      } else {
        keyIndent = -1; // set by the first key line below
      }
      continue;
    }
    if (current === null) return fail(lineNo, 'expected a list item ("- uri: …")');
    if (indent <= itemIndent) return fail(lineNo, 'expected a list item ("- uri: …") or an indented key');
    if (keyIndent < 0) keyIndent = indent;
    if (indent !== keyIndent) return fail(lineNo, 'keys of one item must line up');
    const problem = readPair(body, current.values);
    if (problem !== null) return fail(lineNo, problem);
  }
  return { ok: true, entries };
}

function fail(line: number, reason: string): ForwardersFileResult {
  return { ok: false, line, reason };
}

/** Adds `key: value` to `values`; the reason it cannot, or null. */
function readPair(text: string, values: Record<string, string>): string | null {
  const match = KEY_VALUE.exec(text);
  if (!match) return 'expected "key: value"';
  const key = match[1] as string;
  if (Object.hasOwn(values, key)) return `duplicate key "${key}"`;
  const value = scalar((match[2] ?? '').trim());
  if (value === null) return `the value of "${key}" is not a plain or quoted string`;
  values[key] = value;
  return null;
}

/** A plain or quoted scalar; null for YAML this reader does not support (flow collections, anchors…). */
function scalar(text: string): string | null {
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) return null;
    try {
      return JSON.parse(text) as string;
    } catch {
      return null;
    }
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) return null;
    const inner = text.slice(1, -1);
    if (/(^|[^'])'($|[^'])/.test(inner)) return null;
    return inner.replace(/''/g, "'");
  }
  if (/^[[{&*!|>%@`]/.test(text)) return null;
  return text;
}

/** The line without its `#` comment (a `#` at the start or after whitespace, outside quotes); null when a quote is left open. */
function stripComment(line: string): string | null {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s:-]/.test(line[i - 1] as string))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i);
  }
  return quote === null ? line : null;
}
