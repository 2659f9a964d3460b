/**
 * Serves the API description on the API's listener, without a token: the OpenAPI document at
 * `/api/docs-json` and Swagger UI at `/api/docs`. The UI's files come from swagger-ui-dist (a
 * dependency of @nestjs/swagger), a fixed list read once; nothing else of the disk is served.
 * The document is built on first request from the running application's controllers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from './openapi-document.js';

export const DOCS_PATH = '/api/docs';
export const DOCS_JSON_PATH = '/api/docs-json';

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tracker REST API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="stylesheet" href="${DOCS_PATH}/index.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-init.js"></script>
</body>
</html>
`;

const INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '${DOCS_JSON_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

function swaggerUiDir(): string {
  // Resolved from @nestjs/swagger, whose dependency it is.
  const fromSwagger = createRequire(createRequire(import.meta.url).resolve('@nestjs/swagger'));
  return (fromSwagger('swagger-ui-dist/absolute-path.js') as () => string)();
}

/** Registers the documentation routes; call before `app.init()`. */
export function registerApiDocs(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  let documentJson: Buffer | null = null;
  let assetDir: string | null = null;
  const assets = new Map<string, Buffer>();

  fastify.get(DOCS_JSON_PATH, (_req, reply) => {
    documentJson ??= Buffer.from(JSON.stringify(buildOpenApiDocument(app)));
    return reply.header('content-type', 'application/json').send(documentJson);
  });
  for (const path of [DOCS_PATH, `${DOCS_PATH}/`]) {
    fastify.get(path, (_req, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(PAGE));
  }
  fastify.get(`${DOCS_PATH}/swagger-ui-init.js`, (_req, reply) =>
    reply.header('content-type', 'application/javascript; charset=utf-8').send(INIT),
  );
  for (const [name, contentType] of Object.entries(ASSETS)) {
    fastify.get(`${DOCS_PATH}/${name}`, (_req, reply) => {
      let body = assets.get(name);
      if (!body) {
        assetDir ??= swaggerUiDir();
        body = readFileSync(join(assetDir, name));
        assets.set(name, body);
      }
      return reply.header('content-type', contentType).header('cache-control', 'public, max-age=3600').send(body);
    });
  }
}
