/**
 * ApiExceptionFilter, attached to the API controllers only (not global): sends an ApiError
 * as its status and plain-text body. Nest's own HttpExceptions keep their status with their
 * message as text; anything else is a bug: 500 with a generic Torrust-shaped body, logged
 * once with its stack. Never a stack trace or a token in a response or a log line.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, TEXT_CONTENT_TYPE, unhandledRejection } from './api-error.js';

/** Sends an API error answer (an empty body for 404/405, as Torrust). */
export function sendApiError(reply: FastifyReply, error: ApiError): void {
  void reply.code(error.status);
  if (error.body === '') {
    void reply.send();
    return;
  }
  void reply.header('content-type', TEXT_CONTENT_TYPE).send(error.body);
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('API');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    sendApiError(reply, this.toApiError(exception, http.getRequest<FastifyRequest>()));
  }

  private toApiError(exception: unknown, request: FastifyRequest): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return new ApiError(exception.getStatus(), exception.message);
    }
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    this.logger.error(`${route}: unexpected failure: ${(exception as Error)?.message}`, (exception as Error)?.stack);
    return unhandledRejection('internal error');
  }
}
