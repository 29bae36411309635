// Reads the legacy tables: owners and their counts, then each owner's rows in key order, a batch
// at a time (keyset pagination, so memory stays flat and a batch is cheap to find again). Column
// names come from the plan, where the schema holds them to plain identifiers; they are quoted too.
import type { SourceDb } from './connections.ts';
import type { Owner } from './owner-mapping.ts';
import type { Plan, SourceTable } from './plan.ts';

export interface LegacyRow {
  key: string;
  owner: Owner;
  title: string;
  text: string;
  metadata: unknown;
  createdAt: Date | null;
}

export interface LegacyChunk {
  index: number;
  text: string;
}

export interface OwnerCount {
  owner: Owner;
  rows: number;
  bytes: number;
}

const q = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const ownerOf = (table: SourceTable) => (table.owner === null ? 'null::text' : `${q(table.owner)}::text`);

/** owner → label from the legacy users table; undefined when the plan names none. */
export async function ownerDirectory(db: SourceDb, plan: Plan): Promise<Map<string, string | null> | undefined> {
  const owners = plan.source.owners;
  if (!owners) return undefined;
  const label = owners.label ? `${q(owners.label)}::text` : 'null::text';
  const rows = await db.read<{ owner: string; label: string | null }>(
    `select ${q(owners.key)}::text as owner, ${label} as label from ${q(owners.table)}`,
  );
  return new Map(rows.map((row) => [row.owner, row.label]));
}

export async function ownerCounts(db: SourceDb, table: SourceTable): Promise<OwnerCount[]> {
  const rows = await db.read<{ owner: string | null; rows: string; bytes: string | null }>(
    `select ${ownerOf(table)} as owner, count(*) as rows, sum(octet_length(${q(table.text)}::text)) as bytes
       from ${q(table.name)} group by 1 order by 1 nulls first`,
  );
  return rows.map((row) => ({ owner: row.owner, rows: Number(row.rows), bytes: Number(row.bytes ?? 0) }));
}

type RowRecord = {
  key: string;
  owner: string | null;
  title: string;
  text: string;
  metadata: unknown;
  created_at: Date | null;
};

const rowColumns = (table: SourceTable) =>
  [
    `${q(table.key)}::text as key`,
    `${ownerOf(table)} as owner`,
    `${q(table.title)}::text as title`,
    `coalesce(${q(table.text)}::text, '') as text`,
    `${table.metadata ? q(table.metadata) : 'null'} as metadata`,
    `${table.createdAt ? `${q(table.createdAt)}::timestamptz` : 'null::timestamptz'} as created_at`,
  ].join(', ');

const legacyRow = (row: RowRecord): LegacyRow => ({
  key: row.key,
  owner: row.owner,
  title: row.title,
  text: row.text,
  metadata: row.metadata,
  createdAt: row.created_at,
});

/** The rows with these keys (the validation's sample). */
export async function rowsByKeys(db: SourceDb, table: SourceTable, keys: string[]): Promise<LegacyRow[]> {
  if (keys.length === 0) return [];
  const rows = await db.read<RowRecord>(
    `select ${rowColumns(table)} from ${q(table.name)} where ${q(table.key)} = any($1)`,
    [keys],
  );
  return rows.map(legacyRow);
}

/** One owner's rows (null: the rows without one), `batchSize` at a time, in key order after `afterKey`. */
export async function* rowsOfOwner(
  db: SourceDb,
  table: SourceTable,
  owner: Owner,
  batchSize: number,
): AsyncGenerator<LegacyRow[]> {
  const columns = rowColumns(table);
  const whose =
    table.owner === null ? 'true' : owner === null ? `${q(table.owner)} is null` : `${q(table.owner)}::text = $1`;
  let after: string | undefined;
  for (;;) {
    const values: unknown[] = [];
    if (owner !== null && table.owner !== null) values.push(owner);
    let where = whose;
    if (after !== undefined) {
      values.push(after);
      where += ` and ${q(table.key)} > $${values.length}`;
    }
    const rows = await db.read<RowRecord>(
      `select ${columns} from ${q(table.name)} where ${where} order by ${q(table.key)} limit ${batchSize}`,
      values,
    );
    if (rows.length === 0) return;
    yield rows.map(legacyRow);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]?.key;
  }
}

/** The legacy chunks of these rows, in order; rows without chunks are absent from the map. */
export async function chunksOfRows(
  db: SourceDb,
  table: SourceTable,
  keys: string[],
): Promise<Map<string, LegacyChunk[]>> {
  const chunks = new Map<string, LegacyChunk[]>();
  const c = table.chunks;
  if (!c || keys.length === 0) return chunks;
  const rows = await db.read<{ document: string; index: number; text: string }>(
    `select ${q(c.document)}::text as document, ${q(c.index)}::integer as index, ${q(c.text)}::text as text
       from ${q(c.table)} where ${q(c.document)} = any($1) order by ${q(c.document)}, ${q(c.index)}`,
    [keys],
  );
  for (const row of rows) {
    const list = chunks.get(row.document) ?? [];
    list.push({ index: row.index, text: row.text });
    chunks.set(row.document, list);
  }
  return chunks;
}

/** key → owner of the rows that exist; for matching vectors and objects to rows. */
export async function ownersOfKeys(db: SourceDb, table: SourceTable, keys: string[]): Promise<Map<string, Owner>> {
  if (keys.length === 0) return new Map();
  const rows = await db.read<{ key: string; owner: string | null }>(
    `select ${q(table.key)}::text as key, ${ownerOf(table)} as owner from ${q(table.name)} where ${q(table.key)} = any($1)`,
    [keys],
  );
  return new Map(rows.map((row) => [row.key, row.owner]));
}

export const tableNamed = (plan: Plan, name: string): SourceTable => {
  const table = plan.source.tables.find((t) => t.name === name);
  if (!table) throw new Error(`no source table ${name}`);
  return table;
};
