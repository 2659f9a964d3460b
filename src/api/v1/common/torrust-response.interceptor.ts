/**
 * TorrustResponseInterceptor: writes what a handler returns the way Torrust's API does, and
 * turns what a handler throws into Torrust's error answers.
 *
 * - A returned value is sent as compact JSON with `Content-Type: application/json` (or the
 *   type named by @ResponseContentType); a TextBody is sent as it is.
 * - AuthKeyFormatError / AuthKeyDurationError → 400 `Invalid URL: invalid auth key…`.
 * - A DatabaseError of the service (database down, duplicate key…) → 500
 *   `Unhandled rejection: Err { reason: "<@FailureReason>: <details>" }`, logged at warn; any
 *   other failure (a bug) → the same with `internal error`, logged at error with its stack.
 */
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, map, type Observable, throwError } from 'rxjs';
import { AuthKeyDurationError, AuthKeyFormatError } from '../../../auth-keys/auth-key.js';
import { ApiError, BadRequest, unhandledRejection } from './api-error.js';

const CONTENT_TYPE = 'torrust:content-type';
const FAILURE_REASON = 'torrust:failure-reason';

/** Torrust's JSON content type (no charset); the key endpoints add `; charset=utf-8`. */
export const JSON_CONTENT_TYPE = 'application/json';

/** A body sent as it is, with its own content type (Prometheus text). */
export class TextBody {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

/** The Content-Type of the route's JSON answers (default `application/json`). */
export const ResponseContentType = (contentType: string) => SetMetadata(CONTENT_TYPE, contentType);

/** What the route failed to do, for the 500 reason: `failed to whitelist torrent`. */
export const FailureReason = (reason: string) => SetMetadata(FAILURE_REASON, reason);

@Injectable()
export class TorrustResponseInterceptor implements NestInterceptor {
  private readonly logger = new Logger('API');

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler();
    const contentType = this.reflector.get<string | undefined>(CONTENT_TYPE, handler) ?? JSON_CONTENT_TYPE;
    const reason = this.reflector.get<string | undefined>(FAILURE_REASON, handler);
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((value) => {
        if (value instanceof TextBody) {
          void reply.header('content-type', value.contentType);
          return Buffer.from(value.text, 'utf8');
        }
        // A Buffer, so that Fastify sends the content type as given (a string gets a charset).
        void reply.header('content-type', contentType);
        return Buffer.from(JSON.stringify(value), 'utf8');
      }),
      catchError((err: unknown) => throwError(() => this.toApiError(err, reason, http.getRequest<FastifyRequest>()))),
    );
  }

  private toApiError(err: unknown, reason: string | undefined, request: FastifyRequest): unknown {
    if (err instanceof ApiError) return err;
    if (err instanceof AuthKeyFormatError) return BadRequest.authKey(err.key, err.reason);
    if (err instanceof AuthKeyDurationError) return BadRequest.authKeyDuration(String(err.secondsValid));
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    const what = reason ?? 'request failed';
    const message = err instanceof Error ? err.message : String(err);
    // A DatabaseError (persistence/database) is an expected outage whose message is written to
    // be shown (Torrust puts the driver's error in the reason); anything else is a bug: its
    // message stays in the log.
    if (err instanceof Error && err.name === 'DatabaseError') {
      this.logger.warn(`${route}: ${what}: ${message}`);
      return unhandledRejection(`${what}: ${message}`);
    }
    this.logger.error(`${route}: ${what}: ${message}`, err instanceof Error ? err.stack : undefined);
    return unhandledRejection(`${what}: internal error`);
  }
}
