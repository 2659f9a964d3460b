/**
 * Bencoding (BEP 3): a general encoder and strict decoder for clients and tests, and the HTTP
 * tracker's specialised response writers (failure, announce, scrape) for the server hot path.
 */
export * from './errors.js';
export * from './encode.js';
export * from './decode.js';
export * from './tracker-responses.js';
