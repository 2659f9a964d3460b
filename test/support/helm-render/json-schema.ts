/**
 * A small JSON Schema (draft-07) validator for the chart's values.schema.json: the keywords that
 * schema uses and nothing more. Any other keyword throws, so the schema cannot silently grow past
 * what this checks (add the keyword here first). Formats are not checked.
 */

export type Schema = { readonly [keyword: string]: unknown };

/** One violation: where (`config.udpTracker.port`) and what is wrong. */
export interface SchemaError {
  readonly path: string;
  readonly message: string;
}

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'definitions',
]);
const SUPPORTED = new Set([
  ...ANNOTATIONS,
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeOf(value) === 'object';
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Validates `value` against `schema` (whose `#/definitions/…` references resolve in `root`). */
export function validate(schema: Schema, value: unknown, root: Schema = schema, path = ''): SchemaError[] {
  const errors: SchemaError[] = [];
  const fail = (message: string, at = path) => errors.push({ path: at === '' ? '(root)' : at, message });

  for (const keyword of Object.keys(schema)) {
    if (!SUPPORTED.has(keyword))
      throw new Error(`json-schema.ts does not implement the keyword "${keyword}" (${path})`);
  }

  if (typeof schema.$ref === 'string') {
    const match = /^#\/definitions\/(.+)$/.exec(schema.$ref);
    const definitions = root.definitions as Record<string, Schema> | undefined;
    const target = match ? definitions?.[match[1] as string] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref} at ${path}`);
    errors.push(...validate(target, value, root, path));
  }

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => matchesType(value, t))) {
      fail(`must be of type ${types.join(' or ')}, got ${typeOf(value)} ${JSON.stringify(value)}`);
      return errors;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    fail(`must be one of ${JSON.stringify(schema.enum)}, got ${JSON.stringify(value)}`);
  }
  if ('const' in schema && !deepEqual(schema.const, value)) fail(`must be ${JSON.stringify(schema.const)}`);

  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      fail(`must be >= ${schema.minimum}, got ${value}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      fail(`must be <= ${schema.maximum}, got ${value}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength)
      fail(`must have >= ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength)
      fail(`must have <= ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      fail(`must match ${schema.pattern}, got ${JSON.stringify(value)}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      fail(`must have >= ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      fail(`must have <= ${schema.maxItems} items`);
    if (isObject(schema.items)) {
      value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, root, join(path, i))));
    }
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
      fail(`must have >= ${schema.minProperties} properties`);
    }
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
      fail(`must have <= ${schema.maxProperties} properties`);
    }
    if (Array.isArray(schema.required)) {
      for (const key of schema.required as string[]) if (!(key in value)) fail(`is required`, join(path, key));
    }
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of keys) {
      const at = join(path, key);
      if (isObject(schema.propertyNames)) {
        for (const e of validate(schema.propertyNames as Schema, key, root, at)) fail(`property name ${e.message}`, at);
      }
      if (key in properties) {
        errors.push(...validate(properties[key] as Schema, value[key], root, at));
      } else if (schema.additionalProperties === false) {
        fail(`is not allowed (unknown property)`, at);
      } else if (isObject(schema.additionalProperties)) {
        errors.push(...validate(schema.additionalProperties as Schema, value[key], root, at));
      }
    }
  }

  const branches = (keyword: string) => (Array.isArray(schema[keyword]) ? (schema[keyword] as Schema[]) : []);
  if (schema.allOf) for (const s of branches('allOf')) errors.push(...validate(s, value, root, path));
  if (schema.anyOf && !branches('anyOf').some((s) => validate(s, value, root, path).length === 0)) {
    fail(`must match one of the anyOf schemas, got ${JSON.stringify(value)}`);
  }
  if (schema.oneOf) {
    const matching = branches('oneOf').filter((s) => validate(s, value, root, path).length === 0).length;
    if (matching !== 1) fail(`must match exactly one oneOf schema (matched ${matching})`);
  }
  if (isObject(schema.not) && validate(schema.not as Schema, value, root, path).length === 0)
    fail(`must not match "not"`);
  if (isObject(schema.if)) {
    const branch = validate(schema.if as Schema, value, root, path).length === 0 ? schema.then : schema.else;
    if (isObject(branch)) errors.push(...validate(branch as Schema, value, root, path));
  }
  return errors;
}

/**
 * Paths of properties declared by the schema (where it forbids additional properties) but absent
 * from `value`: keeps values.yaml documenting every value the schema accepts.
 */
export function missingDeclaredProperties(schema: Schema, value: unknown, root: Schema = schema, path = ''): string[] {
  let s = schema;
  while (typeof s.$ref === 'string')
    s = (root.definitions as Record<string, Schema>)[s.$ref.replace('#/definitions/', '')] as Schema;
  if (!isObject(value) || s.additionalProperties !== false || !isObject(s.properties)) return [];
  const missing: string[] = [];
  for (const [key, sub] of Object.entries(s.properties as Record<string, Schema>)) {
    if (!(key in value)) missing.push(join(path, key));
    else missing.push(...missingDeclaredProperties(sub, value[key], root, join(path, key)));
  }
  return missing;
}
