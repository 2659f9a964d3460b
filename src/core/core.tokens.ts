/** Injection tokens of the core tracker module. */
export const CLOCK = Symbol('Clock');
export const HASH_SEED = Symbol('HashSeed');
