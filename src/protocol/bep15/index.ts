/**
 * BEP 15 (UDP tracker protocol) codec: constants, the allocation-free server-side request parser
 * and response writers, and the client-side encoders/decoders used by the console tools.
 * See request.ts for how a UDP handler drives the hot path.
 */
export * from './constants.js';
export * from './request.js';
export * from './response.js';
export * from './client.js';
