/**
 * The application logger: one line per event on stdout, filtered by `logging.threshold`
 * (off|error|warn|info|debug|trace). Style `text` (default): `<ISO time> <LEVEL> <context>: <message>`,
 * like Torrust's tracing output (its e2e tooling greps `Started on: ` lines). Style `json`: one
 * JSON object per line (`time`, `level`, `context`, `msg`, and `stack` for errors) for log
 * collectors. Request handlers log nothing above debug.
 */
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { LogStyle, LogThreshold } from '../config/configuration.js';

const RANK: Record<LogThreshold, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 };

/** Nest log levels enabled by a Torrust threshold. */
export function nestLogLevels(threshold: LogThreshold): LogLevel[] {
  const rank = RANK[threshold];
  const levels: LogLevel[] = [];
  if (rank >= 1) levels.push('fatal', 'error');
  if (rank >= 2) levels.push('warn');
  if (rank >= 3) levels.push('log');
  if (rank >= 4) levels.push('debug');
  if (rank >= 5) levels.push('verbose');
  return levels;
}

export class TrackerLogger implements LoggerService {
  private readonly rank: number;

  constructor(
    threshold: LogThreshold,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
    private readonly style: LogStyle = 'text',
  ) {
    this.rank = RANK[threshold];
  }

  isEnabled(level: 'error' | 'warn' | 'info' | 'debug' | 'trace'): boolean {
    return this.rank >= RANK[level];
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    if (this.rank >= 1) this.emit('FATAL', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    if (this.rank >= 1) this.emit('ERROR', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    if (this.rank >= 2) this.emit('WARN', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    if (this.rank >= 3) this.emit('INFO', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    if (this.rank >= 4) this.emit('DEBUG', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    if (this.rank >= 5) this.emit('TRACE', message, rest);
  }

  private emit(level: string, message: unknown, rest: unknown[]): void {
    // Nest passes (message, context) or (message, stack, context); the context comes last.
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = message instanceof Error ? message.stack : undefined;
    const text =
      message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    const extra = rest.filter((r) => r !== undefined).map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
    const time = new Date().toISOString();
    let line: string;
    if (this.style === 'json') {
      const record: Record<string, string> = {
        time,
        level: level.toLowerCase(),
        context: context ?? 'tracker',
        msg: text,
      };
      const trace = [stack, ...extra].filter((x) => x !== undefined).join('\n');
      if (trace) record.stack = trace;
      line = `${JSON.stringify(record)}\n`;
    } else {
      const pad = level.length < 5 ? ' '.repeat(5 - level.length) : '';
      const detail = [stack, ...extra].filter((x) => x !== undefined);
      line = `${time} ${pad}${level} ${context ?? 'tracker'}: ${text}${detail.length ? `\n${detail.join('\n')}` : ''}\n`;
    }
    this.write(line);
  }
}
