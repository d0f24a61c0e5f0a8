/**
 * fast-check generators of hostile request input (#14): text of every kind of Unicode
 * (lone surrogates and NUL included), numbers PostgreSQL or JSON cannot take, JSON nested
 * thousands deep, bodies that are not JSON, and values shaped like a route's own JSON
 * schema with hostile leaves. Request bodies are JSON text written here, so that they can
 * hold what JSON.stringify would never write (`1e400`, a 5,000-deep array).
 */
import fc from 'fast-check';

/** JSON text put into a generated value as it is (a number token, a deep tree). */
export class Raw {
  constructor(readonly text: string) {}
  toString() {
    return this.text.length > 80 ? `Raw(${this.text.slice(0, 40)}…${this.text.slice(-20)})` : `Raw(${this.text})`;
  }
}

/** A generated value as JSON text: Raw parts as they are, strings escaped as JSON.stringify does (`"\ud800"`). */
export function jsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    // Object.keys lists an own "__proto__" key too: the parser must refuse it.
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${jsonText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const LONE_SURROGATES = [
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  'a\ud83d',
  '\ude00b',
  '\ud83d\ud83d',
  'x\udc00\ud800y',
];
/** Any UTF-16 code unit: lone surrogates included, which 'binary' strings never hold. */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Dates and times PostgreSQL refuses or reads differently than a client means. */
export const HOSTILE_DATES = [
  '0000-00-00',
  '0000-01-01',
  '0001-01-01',
  '99999-01-01',
  '9999-12-31',
  '2025-02-30',
  '2025-02-29',
  '2025-13-01',
  '-001-01-01',
  '275760-09-13',
  'infinity',
  '-infinity',
  'epoch',
  'now',
  'today',
  '2025-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '9999-12-31T23:59:60Z',
  '2025-01-01T24:00:00Z',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii' }), // control characters, NUL among them
  fc.string({ unit: utf16Unit }),
  fc.constantFrom(...LONE_SURROGATES, '\u0000', 'a\u0000b', '', ' ', '\u200b', '\ufeff', '\uffff', '\u{10ffff}', '😀'),
  fc
    .tuple(fc.string(), fc.constantFrom(...LONE_SURROGATES, '\u0000'), fc.string())
    .map(([before, bad, after]) => before + bad + after),
  // Longer than any column: varchar(50), (255), text limits of the schemas.
  fc
    .constantFrom(51, 101, 256, 1001, 2001, 5001, 10_001)
    .chain((n) => fc.constantFrom('x'.repeat(n), 'é'.repeat(n), '😀'.repeat(n))),
  fc.constantFrom(...HOSTILE_DATES),
  fc.constantFrom('NaN', 'Infinity', '1e400', '-1', '0', '9999999999999999999999', 'null', 'true', '{}', '[]'),
  fc.emailAddress(),
  fc.constantFrom('a@b', '@', 'x@x.x', `${'a'.repeat(300)}@example.org`, 'a\u0000@example.org', 'a\ud800@example.org'),
);

/** Numbers as JSON tokens: ones PostgreSQL's columns cannot hold, and ones JSON cannot round-trip. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -0,
    -1,
    0.001,
    0.005,
    1e-7,
    5e-324,
    9999999999.99,
    9999999999.995,
    1e10,
    1e12,
    1e15,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    2 ** 63,
    1e308,
    -1e308,
  ),
  fc
    .constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1.0', '1e2', '-0.0', '0.1e-400')
    .map((t) => new Raw(t)),
);

/** JSON nested `depth` levels deep, as text (JSON.stringify itself would overflow the stack). */
export function deepJson(depth: number, kind: 'array' | 'object' | 'mixed', leaf = '1'): Raw {
  if (kind === 'array') return new Raw(`${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`);
  if (kind === 'object') return new Raw(`${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`);
  const half = Math.floor(depth / 2);
  return new Raw(`${'{"a":['.repeat(half)}${leaf}${']}'.repeat(half)}`);
}

export const deepValue: fc.Arbitrary<Raw> = fc
  .tuple(
    fc.oneof(fc.constantFrom(63, 64, 65, 66, 100, 130), fc.integer({ min: 65, max: 6_000 })),
    fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
    fc.constantFrom('1', 'null', '"x"', '"\\u0000"', '"\\ud800"', '{}'),
  )
  .map(([depth, kind, leaf]) => deepJson(depth, kind, leaf));

/** Object keys a body should never carry. */
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'a\u0000', '\ud800', 'x\udfffy', '', 'name\u0000'),
  fc.string({ unit: utf16Unit, maxLength: 8 }),
);

/** Any value, small or hostile. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  {
    weight: 1,
    arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: utf16Unit }),
  },
);

/** Text that is not one JSON document, sent as application/json. */
export const notJson: fc.Arbitrary<Raw> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      'nul',
      '{',
      '{"a":1',
      '[1,]',
      '{"a":1}{"b":2}',
      '\ufeff{}',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '"\\ud800"',
      'NaN',
      'undefined',
      '{"a":"\\x"}',
      '"\\u12"',
      '{"a":01}',
      "{'a':1}",
      '\u0000',
    )
    .map((t) => new Raw(t)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((t) => new Raw(t)),
);

/** The part of JSON Schema the routes' schemas use (as the OpenAPI document shows them). */
export interface JsonSchema {
  /** OpenAPI 3.1 (JSON Schema 2020-12) writes "X or null" as `[X, 'null']`. */
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  maxItems?: number;
}

/**
 * How a schema-shaped value is made: `hostile` puts a hostile value at a leaf now and then
 * (and now and then a key no schema allows); `extreme` keeps to what the schema allows, at
 * its edges: the longest strings in characters of 2 and 4 bytes, the bounds of every
 * number, every string its pattern matches (0000-02-31 is a day to `\d{4}-…`). Extreme
 * values pass validation and reach the database, which is where they must not fail.
 */
export type Mode = 'hostile' | 'extreme';

function stringFor(schema: JsonSchema, mode: Mode): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
  ];
  if (mode === 'hostile') options.push(hostileString);
  if (schema.maxLength !== undefined && schema.pattern === undefined) {
    const n = schema.maxLength;
    options.push(
      fc.constantFrom('x'.repeat(n), 'é'.repeat(n), '😀'.repeat(n), ...(mode === 'hostile' ? ['x'.repeat(n + 1)] : [])),
    );
  }
  if (schema.pattern !== undefined) options.push(fc.stringMatching(new RegExp(schema.pattern, 'u')));
  if (schema.format === 'email') options.push(fc.emailAddress());
  if (schema.format === 'date-time') {
    options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
    options.push(fc.constantFrom(...HOSTILE_DATES));
  }
  return fc.oneof(...options);
}

function numberFor(schema: JsonSchema, integer: boolean, mode: Mode): fc.Arbitrary<unknown> {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  const step = integer ? 1 : 0.005;
  const edges = [min, max].filter((n): n is number => n !== undefined);
  const bounds =
    mode === 'hostile'
      ? edges.flatMap((n) => [n, n - step, n + step])
      : [
          ...(min === undefined
            ? [-(2 ** 31), -1e12]
            : [schema.minimum ?? min + step, (schema.minimum ?? min + step) + step]),
          ...(max === undefined
            ? [2 ** 31, 1e12, 2 ** 53]
            : [schema.maximum ?? max - step, (schema.maximum ?? max - step) - step]),
          ...(integer ? [] : [1e-7, 0.005, 5e-324]),
        ].filter((n) => (min === undefined || n >= min) && (max === undefined || n <= max));
  const inRange = integer
    ? fc.integer({ min: Math.max(min ?? -(2 ** 31), -(2 ** 31)), max: Math.min(max ?? 2 ** 31, 2 ** 31) })
    : fc.double({ min: min ?? -1e12, max: max ?? 1e12, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(
    inRange,
    ...(mode === 'hostile' ? [hostileNumber] : []),
    ...(bounds.length ? [fc.constantFrom(...bounds)] : []),
  );
}

/** Values shaped like `schema` (its fields, types, formats, patterns and bounds): see Mode. */
export function shapedLike(schema: JsonSchema, mode: Mode = 'hostile', depth = 0): fc.Arbitrary<unknown> {
  const own = ownValues(schema, mode, depth);
  return mode === 'hostile' ? fc.oneof({ weight: 5, arbitrary: own }, { weight: 1, arbitrary: hostileLeaf }) : own;
}

function ownValues(schema: JsonSchema, mode: Mode, depth: number): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) return fc.oneof(...branches.map((s) => ownValues(s, mode, depth)));
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable = (arb: fc.Arbitrary<unknown>) =>
    types.includes('null') ? fc.option(arb, { nil: null, freq: 4 }) : arb;
  switch (types.find((type) => type !== 'null') ?? types[0]) {
    case 'object': {
      if (depth > 6) return fc.constant({});
      const properties = schema.properties ?? {};
      const required = (schema.required ?? []).filter((k) => k in properties);
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, shapedLike(s, mode, depth + 1)])),
        { requiredKeys: required },
      );
      if (mode === 'extreme') return nullable(record);
      // Now and then one more key: a name no schema allows, or a key PostgreSQL cannot store.
      return nullable(
        fc
          .tuple(record, fc.option(fc.tuple(hostileKey, hostileLeaf), { freq: 6 }))
          .map(([value, extra]) => (extra ? { ...value, [extra[0]]: extra[1] } : value)),
      );
    }
    case 'array': {
      const items = shapedLike(schema.items ?? {}, mode, depth + 1);
      // At most a few items, or exactly the most allowed (1,000 tools, 500 ids) now and then.
      const most = schema.maxItems;
      return nullable(
        most !== undefined && mode === 'extreme'
          ? fc.oneof(
              { weight: 4, arbitrary: fc.array(items, { maxLength: 4 }) },
              { weight: 1, arbitrary: items.map((item) => Array<unknown>(most).fill(item)) },
            )
          : fc.array(items, { maxLength: 4 }),
      );
    }
    case 'string':
      return nullable(stringFor(schema, mode));
    case 'integer':
      return nullable(numberFor(schema, true, mode));
    case 'number':
      return nullable(numberFor(schema, false, mode));
    case 'boolean':
      return nullable(fc.boolean());
    case 'null':
      return fc.constant(null);
    case undefined:
    default:
      return mode === 'hostile' ? hostileLeaf : fc.jsonValue({ maxDepth: 2 });
  }
}

/** A string's UTF-8 bytes, every one percent-encoded (a lone surrogate becomes U+FFFD on the way). */
export const percentEncoded = (text: string): string => Buffer.from(text, 'utf8').toString('hex').replace(/../g, '%$&');

/** Percent-encoded bytes that are not UTF-8 text, or not percent-encoding at all. */
export const badPercent = fc.constantFrom(
  '%00',
  '%ED%A0%80', // a surrogate encoded as if it were a code point (CESU-8)
  '%C0%80', // an overlong NUL
  '%FF',
  '%F4%90%80%80', // beyond U+10FFFF
  '%E2%82',
  '%',
  '%zz',
  '%2',
);

/** A query-string or path value for a parameter: shaped like its schema, hostile, or broken encoding. */
export function parameterValue(schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    ...(['hostile', 'extreme'] as const).map((mode) => ({
      weight: 2,
      arbitrary: shapedLike(schema, mode).map((v) =>
        percentEncoded(typeof v === 'string' ? v : v instanceof Raw ? v.text : (JSON.stringify(v) ?? '')),
      ),
    })),
    { weight: 1, arbitrary: hostileString.map(percentEncoded) },
    { weight: 1, arbitrary: badPercent },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('99999999999999999999999', '1e400', '-1', '0', '1.5', 'NaN', '2147483648', '')
        .map((t) => t),
    },
  );
}
