// Pinecone's metadata filter language (a subset of MongoDB's), compiled once per request so a bad
// filter fails with 400 even when the namespace is empty, as the real service rejects it up front.
import { badRequest } from './errors.ts';

/** Metadata values Pinecone stores: no nulls, no nested objects, lists only of strings. */
export type MetadataValue = string | number | boolean | string[];
export type Metadata = Record<string, MetadataValue>;
export type MetadataPredicate = (metadata: Metadata | undefined) => boolean;

type FieldTest = (value: MetadataValue | undefined) => boolean;
type Scalar = string | number | boolean;

const MAX_LIST_OPERANDS = 10_000;

const COMPARISONS: Record<string, (value: number, operand: number) => boolean> = {
  $gt: (value, operand) => value > operand,
  $gte: (value, operand) => value >= operand,
  $lt: (value, operand) => value < operand,
  $lte: (value, operand) => value <= operand,
};

export function compileFilter(filter: unknown): MetadataPredicate {
  if (!isPlainObject(filter)) throw badRequest('filter must be a JSON object');
  const clauses = Object.entries(filter).map(([key, value]) => compileClause(key, value));
  return (metadata) => clauses.every((clause) => clause(metadata ?? {}));
}

function compileClause(key: string, value: unknown): (metadata: Metadata) => boolean {
  if (key === '$and' || key === '$or') {
    if (!Array.isArray(value) || value.length === 0) throw badRequest(`${key} takes a non-empty array of filters`);
    const parts = value.map(compileFilter);
    return key === '$and' ? (m) => parts.every((part) => part(m)) : (m) => parts.some((part) => part(m));
  }
  if (key.startsWith('$')) throw badRequest(`unknown filter operator ${key} at the top level`);
  const tests = isPlainObject(value)
    ? Object.entries(value).map(([operator, operand]) => compileOperator(key, operator, operand))
    : [compileOperator(key, '$eq', value)]; // `{genre: 'drama'}` is shorthand for `$eq`
  if (tests.length === 0) throw badRequest(`filter for field ${key} has no operator`);
  return (m) => tests.every((test) => test(m[key]));
}

// A missing field matches nothing but `$exists: false`: since 2024 Pinecone's `$ne`/`$nin` no longer
// match records that lack the field (unlike MongoDB).
function compileOperator(field: string, operator: string, operand: unknown): FieldTest {
  if (operator === '$eq' || operator === '$ne') {
    const wanted = scalarOperand(field, operator, operand);
    const equal = operator === '$eq';
    return (value) => value !== undefined && holds(value, wanted) === equal;
  }
  const compare = COMPARISONS[operator];
  if (compare) {
    if (typeof operand !== 'number') throw badRequest(`${operator} on ${field} takes a number`);
    return (value) => typeof value === 'number' && compare(value, operand);
  }
  if (operator === '$in' || operator === '$nin') {
    const wanted = listOperand(field, operator, operand);
    const inside = operator === '$in';
    return (value) => value !== undefined && wanted.some((candidate) => holds(value, candidate)) === inside;
  }
  if (operator === '$exists') {
    if (typeof operand !== 'boolean') throw badRequest(`$exists on ${field} takes a boolean`);
    return (value) => (value !== undefined) === operand;
  }
  throw badRequest(`unknown filter operator ${operator} on field ${field}`);
}

// A list-valued field "takes on" each of its values: `{genre: 'comedy'}` matches `['comedy', 'drama']`.
function holds(value: MetadataValue, wanted: Scalar): boolean {
  return Array.isArray(value) ? value.some((item) => item === wanted) : value === wanted;
}

function scalarOperand(field: string, operator: string, operand: unknown): Scalar {
  if (!isScalar(operand)) throw badRequest(`${operator} on ${field} takes a string, number or boolean`);
  return operand;
}

function listOperand(field: string, operator: string, operand: unknown): Scalar[] {
  if (!Array.isArray(operand) || !operand.every(isScalar)) {
    throw badRequest(`${operator} on ${field} takes an array of strings, numbers or booleans`);
  }
  if (operand.length > MAX_LIST_OPERANDS) {
    throw badRequest(`${operator} on ${field} has ${operand.length} values; the maximum is ${MAX_LIST_OPERANDS}`);
  }
  return operand;
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
