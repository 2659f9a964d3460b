/**
 * HTTP tracker request parsing (BEP 3 announce, BEP 48 scrape) as Torrust does it: raw query
 * splitting, byte-wise percent-decoding of binary params, typed requests or Torrust's failure texts.
 */
export * from './percent.js';
export * from './query.js';
export * from './params.js';
export * from './announce-request.js';
export * from './scrape-request.js';
