/**
 * The OpenAPI document of the admin API (ApiV1Module's routes), built from the controllers'
 * decorators (@nestjs/swagger) of an application that was created but need not be listening. Paths and
 * schemas are sorted by name so the committed docs/openapi.json only changes when the API does.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiV1Module } from './v1/api-v1.module.js';
import { BEARER_SCHEME, TOKEN_QUERY_SCHEME } from './v1/common/api-controller.decorators.js';

const DESCRIPTION = [
  'The admin REST API of the tracker, compatible with Torrust Tracker API v1 (routes, JSON',
  'shapes, status codes and error texts), which the Torrust Index uses.',
  '',
  'Every `/api/v1` route needs an access token from `[http_api.access_tokens]`, given as the',
  '`token` query parameter or as `Authorization: Bearer <token>` (the header wins).',
  'As in Torrust, failures are plain text: authentication and database failures are HTTP 500',
  '`Unhandled rejection: Err { reason: "…" }`, bad input is 400 (422 for JSON of the wrong',
  'shape), unknown routes are 404 and wrong methods 405, with empty bodies. Every success is 200.',
  '',
  'This document is served at `/api/docs-json`, with Swagger UI at `/api/docs` (no token needed).',
].join('\n');

export function openApiConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('Tracker REST API')
    .setDescription(DESCRIPTION)
    .setVersion('v1')
    .addApiKey(
      { type: 'apiKey', in: 'query', name: 'token', description: 'An access token of [http_api.access_tokens].' },
      TOKEN_QUERY_SCHEME,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The same token as `Authorization: Bearer <token>`.' },
      BEARER_SCHEME,
    )
    .build();
}

function sortedByKey<T>(record: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!record) return record;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  // Only the API's routes: other modules' controllers on this listener document themselves.
  const document = SwaggerModule.createDocument(app, openApiConfig(), { include: [ApiV1Module] });
  document.paths = sortedByKey(document.paths) ?? {};
  if (document.components?.schemas) document.components.schemas = sortedByKey(document.components.schemas);
  return document;
}

/** docs/openapi.json's exact text: two-space JSON and a trailing newline. */
export function renderOpenApiJson(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
