/**
 * Generates the OpenAPI document without a running tracker: a Nest application made of the API
 * controllers over inert stand-ins for their services (no database, no sockets, never
 * listening), created, initialised and closed again. `npm run openapi` writes it to
 * docs/openapi.json; test/contract/openapi-fresh.e2e-spec.ts checks that the file is current.
 */
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AuthKeysService } from '../auth-keys/auth-keys.service.js';
import { HTTP_API_CONFIG } from '../config/config.tokens.js';
import { WhitelistService } from '../whitelist/whitelist.service.js';
import { ApiFastifyAdapter, configureApiServer } from './api-server.js';
import { buildOpenApiDocument, renderOpenApiJson } from './openapi-document.js';
import { ApiV1Module } from './v1/api-v1.module.js';
import { StatsQuery } from './v1/stats/stats.query.js';
import { TorrentsQuery } from './v1/torrents/torrents.query.js';

/** Stand-ins for everything the API controllers inject: never called while documenting. */
const INERT_PROVIDERS = [
  { provide: HTTP_API_CONFIG, useValue: null },
  { provide: StatsQuery, useValue: {} },
  { provide: TorrentsQuery, useValue: {} },
  { provide: WhitelistService, useValue: {} },
  { provide: AuthKeysService, useValue: {} },
];

export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiV1Module.withProviders(INERT_PROVIDERS),
    new ApiFastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  try {
    configureApiServer(app);
    await app.init();
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The text docs/openapi.json must contain. */
export async function generateOpenApiJson(): Promise<string> {
  return renderOpenApiJson(await generateOpenApiDocument());
}
