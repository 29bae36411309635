// Values for one JSON Schema node: valid ones (the schema's own bounds and enums, ids from the
// caller's pools) and hostile ones (off-by-one bounds, wrong types, huge and negative numbers, long
// and unstorable strings, deep nesting). Everything is a fast-check arbitrary, so a seed replays it.
import fc from 'fast-check';
import type { JsonSchema } from './operations.ts';

export interface IdPools {
  /** Ids the caller may use (its own projects, documents, conversations). */
  own: readonly string[];
  /** Ids of other tenants: must behave exactly like ids that do not exist. */
  foreign: readonly string[];
}

const WORDS = ['refund', 'policy', 'shipping', 'spring', 'codename', 'widget', 'tenant', 'invoice', 'ü', '日本', '🙂'];

/** Strings that are not what a field wants, each a known way code falls over. */
export const hostileString = fc.oneof(
  fc.constant(''),
  fc.constant(' '),
  fc.constant('\u0000'),
  fc.constant('a\u0000b'),
  fc.constant('\ud800'),
  fc.constant('x\udfffy'),
  fc.constant('\ufeff\u200b'),
  fc.constant("'; drop table documents; --"),
  fc.constant('%00%2e%2e%2f'),
  fc.constant('../../etc/passwd'),
  fc.constant('{{7*7}}\u0024{7*7}'),
  fc.integer({ min: 1, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

export const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value at all, nested arrays and objects included. */
export const anyJson = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 4 }),
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}),
);

const uuidLike = (pools: IdPools) =>
  fc.oneof(
    { weight: 4, arbitrary: pools.own.length ? fc.constantFrom(...pools.own) : fc.uuid() },
    { weight: 2, arbitrary: pools.foreign.length ? fc.constantFrom(...pools.foreign) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    {
      weight: 1,
      arbitrary: (pools.own.length ? fc.constantFrom(...pools.own) : fc.uuid()).map((id) => id.toUpperCase()),
    },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.slice(0, 35)) },
    { weight: 1, arbitrary: fc.uuid().map((id) => `${id}0`) },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.replace(/-/g, '')) },
  );

function validString(s: JsonSchema, pools: IdPools, name: string): fc.Arbitrary<string> {
  if (s.enum) return fc.constantFrom(...(s.enum as string[]));
  if (s.format === 'uuid' || name === 'id' || name === 'projectId') return uuidLike(pools);
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 1e9));
  const min = Math.max(s.minLength ?? 0, 1);
  const max = Math.min(s.maxLength ?? 400, 400);
  return fc
    .oneof(
      {
        weight: 4,
        arbitrary: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((w) => w.join(' ')),
      },
      { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      { weight: 1, arbitrary: fc.constantFrom('x'.repeat(s.maxLength ?? 400), 'x'.repeat(min)) },
    )
    .filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? 1e9));
}

function validInteger(s: JsonSchema): fc.Arbitrary<number> {
  const min = s.minimum ?? -1000;
  const max = Math.min(s.maximum ?? 1000, Number.MAX_SAFE_INTEGER);
  return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max: Math.min(max, min + 10_000) }));
}

/** A value the schema accepts (as far as its JSON Schema says: refinements are not in it). */
export function validValue(s: JsonSchema, pools: IdPools, name = ''): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return validString(s, pools, name);
    case 'integer':
    case 'number':
      return validInteger(s);
    case 'boolean':
      return fc.boolean();
    case 'object':
      return validObject(s, pools);
    default:
      // Unconstrained (e.g. sourceMetadata's values): small JSON.
      return fc.dictionary(
        fc.constantFrom(...WORDS),
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
        {
          maxKeys: 4,
        },
      );
  }
}

/** A value just outside the schema: off-by-one bounds, the wrong type, or something hostile. */
export function invalidValue(s: JsonSchema): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const offByOne: fc.Arbitrary<unknown>[] = [];
  if (type === 'string') {
    if (s.maxLength !== undefined) offByOne.push(fc.constant('y'.repeat(s.maxLength + 1)));
    if (s.minLength) offByOne.push(fc.constant('y'.repeat(s.minLength - 1)));
    offByOne.push(hostileString);
  }
  if (type === 'integer' || type === 'number') {
    if (s.maximum !== undefined) offByOne.push(fc.constant(s.maximum + 1));
    if (s.minimum !== undefined) offByOne.push(fc.constant(s.minimum - 1));
    offByOne.push(hostileNumber, fc.constantFrom('5', '1e3', ''));
  }
  return fc.oneof(...offByOne, anyJson);
}

export function validObject(s: JsonSchema, pools: IdPools): fc.Arbitrary<Record<string, unknown>> {
  const properties = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, p]) => [name, validValue(p, pools, name)]),
  ) as Record<string, fc.Arbitrary<unknown>>;
  return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}
