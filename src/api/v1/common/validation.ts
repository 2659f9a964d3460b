/**
 * Input validation of the admin API with class-validator, worded as Torrust (axum + serde)
 * words its refusals: path parameters → 400 with the exact Torrust text (an empty or blank
 * segment → 404, as no Torrust route matches it); JSON bodies → 422
 * `Failed to deserialize the JSON body into the target type: <field>: <serde message>`.
 * Unknown JSON fields are ignored, as serde does (`whitelist` strips them).
 */
import { createParamDecorator, type ExecutionContext, ValidationPipe } from '@nestjs/common';
import { ValidateBy, type ValidationArguments, type ValidationError, type ValidationOptions } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { isValidKeyFormat } from '../../../auth-keys/auth-key.js';
import { ApiError, BadRequest, notFound } from './api-error.js';

const INFO_HASH = /^[0-9a-fA-F]{40}$/;
const U64_MAX = 18_446_744_073_709_551_615n;

/** Rust's `u64::from_str`: ASCII digits with an optional leading `+`, at most 2^64 - 1. */
export function isU64Text(value: string): boolean {
  return /^\+?[0-9]+$/.test(value) && BigInt(value.replace('+', '')) <= U64_MAX;
}

/** How serde names a JSON value it did not expect (`string "x"`, ``integer `-1` ``, `map`…). */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  }
  if (Array.isArray(value)) return 'sequence';
  return 'map';
}

function errorBody(make: (value: string) => ApiError): (args: ValidationArguments) => string {
  return (args) => make(String(args.value)).body;
}

/** A path segment that is an info hash: 40 hex characters, either case. */
export function IsInfoHashParam(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isInfoHashParam', validator: { validate: (v) => typeof v === 'string' && INFO_HASH.test(v) } },
    { message: errorBody(BadRequest.infoHashParam), ...options },
  );
}

/** A path segment that is an authentication key: 32 ASCII letters or digits. */
export function IsAuthKeyParam(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isAuthKeyParam', validator: { validate: (v) => typeof v === 'string' && isValidKeyFormat(v) } },
    { message: errorBody(BadRequest.authKeyParam), ...options },
  );
}

/** A path segment that parses as a Rust `u64`. */
export function IsU64Param(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isU64Param', validator: { validate: (v) => typeof v === 'string' && isU64Text(v) } },
    { message: errorBody(BadRequest.u64PathParam), ...options },
  );
}

/** A JSON field that must be a string (or null / absent, with @IsOptional). */
export function IsJsonString(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isJsonString', validator: { validate: (v) => typeof v === 'string' } },
    { message: (args) => `invalid type: ${describeJsonValue(args.value)}, expected a string`, ...options },
  );
}

/** A JSON field that must be a non-negative integer (a Rust `u64`). */
export function IsJsonU64(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isJsonU64', validator: { validate: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 } },
    {
      message: (args) =>
        typeof args.value === 'number' && Number.isInteger(args.value)
          ? `invalid value: ${describeJsonValue(args.value)}, expected u64`
          : `invalid type: ${describeJsonValue(args.value)}, expected u64`,
      ...options,
    },
  );
}

function firstProblem(errors: readonly ValidationError[]): { error: ValidationError; message: string } | null {
  for (const error of errors) {
    const message = Object.values(error.constraints ?? {})[0];
    if (message !== undefined) return { error, message };
    const nested = firstProblem(error.children ?? []);
    if (nested) return nested;
  }
  return null;
}

/** Validates path parameter DTOs (`@Param(pathParams) params: InfoHashParamDto`). */
export const pathParams = new ValidationPipe({
  whitelist: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => {
    const problem = firstProblem(errors);
    if (!problem) return new ApiError(400, 'Invalid URL');
    const value = problem.error.value;
    if (typeof value === 'string' && value.trim() === '') return notFound();
    // The messages of the path validators are the whole Torrust body.
    return new ApiError(400, problem.message);
  },
});

/** Validates JSON body DTOs (`@JsonBody(jsonBody) body: AddAuthKeyDto`). */
export const jsonBody = new ValidationPipe({
  whitelist: true,
  stopAtFirstError: true,
  validateCustomDecorators: true,
  exceptionFactory: (errors) => {
    const problem = firstProblem(errors);
    return BadRequest.jsonData(problem ? `${problem.error.property}: ${problem.message}` : 'invalid body');
  },
});

/** A JSON body that did not parse (see api-server.ts): refused by @JsonBody only. */
export class UnparsableJsonBody {
  constructor(readonly reason: string) {}
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const essence = header.split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || (essence.startsWith('application/') && essence.endsWith('+json'));
}

/**
 * The JSON object body of a request, as axum's `Json` extractor takes it: 415 without a JSON
 * content type, 422 when the JSON is not an object.
 */
export const JsonBody = createParamDecorator((structName: string | undefined, context: ExecutionContext): unknown => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (!isJsonContentType(request.headers['content-type']) || request.body === undefined) {
    throw BadRequest.jsonContentType();
  }
  const body = request.body;
  if (body instanceof UnparsableJsonBody) throw BadRequest.jsonSyntax(body.reason);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw BadRequest.jsonData(`invalid type: ${describeJsonValue(body)}, expected struct ${structName ?? 'object'}`);
  }
  return body;
});
