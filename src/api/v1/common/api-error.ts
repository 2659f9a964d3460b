/**
 * The admin API's error answers, as Torrust words them: every failure is a status plus a plain
 * text body (`text/plain; charset=utf-8`). Torrust reports authentication and database failures
 * as HTTP 500 `Unhandled rejection: Err { reason: "<reason>" }` (the Rust debug form of the
 * reason), and bad input as 400 texts that start with `Invalid URL: `. The Torrust Index compares
 * the "token not valid" body byte for byte.
 */

export const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** A refusal the API answers as it is: the status and the exact body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(body);
  }
}

/** Rust's `{:?}` of a string, without the surrounding quotes. */
export function rustDebugEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** `Unhandled rejection: Err { reason: "<reason>" }`, HTTP 500. */
export function unhandledRejection(reason: string): ApiError {
  return new ApiError(500, `Unhandled rejection: Err { reason: "${rustDebugEscape(reason)}" }`);
}

export const AuthFailure = {
  /** No token at all. */
  unauthorized: () => unhandledRejection('unauthorized'),
  /** A token that matches no configured one (empty included). */
  tokenNotValid: () => unhandledRejection('token not valid'),
  /** An `Authorization` header that is not `Bearer`. */
  unknownTokenProvided: () => unhandledRejection('unknown token provided'),
} as const;

export const BadRequest = {
  infoHashParam: (value: string) =>
    new ApiError(400, `Invalid URL: invalid infohash param: string "${value}", expected a 40 character long string`),
  authKeyParam: (value: string) => new ApiError(400, `Invalid auth key id param "${value}"`),
  authKey: (key: string, reason: string) =>
    new ApiError(400, `Invalid URL: invalid auth key: string "${key}", ${reason}`),
  authKeyDuration: (seconds: string) => new ApiError(400, `Invalid URL: invalid auth key duration: "${seconds}"`),
  u64PathParam: (value: string) => new ApiError(400, `Invalid URL: Cannot parse \`"${value}"\` to a \`u64\``),
  queryString: (reason: string) => new ApiError(400, `Failed to deserialize query string: ${reason}`),
  jsonSyntax: (reason: string) => new ApiError(400, `Failed to parse the request body as JSON: ${reason}`),
  jsonData: (reason: string) =>
    new ApiError(422, `Failed to deserialize the JSON body into the target type: ${reason}`),
  jsonContentType: () => new ApiError(415, 'Expected request with `Content-Type: application/json`'),
  bodyTooLarge: () => new ApiError(413, 'Failed to buffer the request body: length limit exceeded'),
} as const;

/** 404 with an empty body (unknown route, empty path segment). */
export function notFound(): ApiError {
  return new ApiError(404, '');
}

/** 405 with an empty body (known path, other method). */
export function methodNotAllowed(): ApiError {
  return new ApiError(405, '');
}
