// One dense index: namespaces of records, optionally mirrored to a JSON file. A namespace exists
// exactly while it holds records, as in Pinecone serverless (created by upsert, gone when emptied).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Metadata, MetadataPredicate } from './filter.ts';
import { byRank, type Metric, similarity } from './similarity.ts';

export interface SparseValues {
  indices: number[];
  values: number[];
}

export interface StoredRecord {
  id: string;
  values: number[];
  sparseValues?: SparseValues;
  metadata?: Metadata;
}

export interface ScoredRecord {
  record: StoredRecord;
  score: number;
}

interface SavedIndex {
  dimension: number;
  metric: Metric;
  namespaces: Record<string, StoredRecord[]>;
}

export class IndexStore {
  readonly dimension: number;
  readonly metric: Metric;
  readonly #dataFile: string | undefined;
  readonly #namespaces = new Map<string, Map<string, StoredRecord>>();

  constructor(options: { dimension: number; metric: Metric; dataFile?: string }) {
    this.dimension = options.dimension;
    this.metric = options.metric;
    this.#dataFile = options.dataFile;
    if (this.#dataFile && existsSync(this.#dataFile)) this.#load(this.#dataFile);
  }

  has(namespace: string): boolean {
    return this.#namespaces.has(namespace);
  }

  get(namespace: string, id: string): StoredRecord | undefined {
    return this.#namespaces.get(namespace)?.get(id);
  }

  /** Records of one namespace, sorted by id (the order Pinecone lists them in). */
  records(namespace: string): StoredRecord[] {
    const records = [...(this.#namespaces.get(namespace)?.values() ?? [])];
    return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** `[namespace, recordCount]` pairs sorted by name. */
  namespaceCounts(): Array<[string, number]> {
    const counts = [...this.#namespaces].map(([name, records]): [string, number] => [name, records.size]);
    return counts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** An upsert replaces the whole record, metadata included. */
  upsert(namespace: string, records: StoredRecord[]): number {
    const target = this.#namespaces.get(namespace) ?? new Map<string, StoredRecord>();
    this.#namespaces.set(namespace, target);
    for (const record of records) target.set(record.id, record);
    this.#save();
    return records.length;
  }

  query(namespace: string, vector: number[], topK: number, matches?: MetadataPredicate): ScoredRecord[] {
    const scored: ScoredRecord[] = [];
    for (const record of this.#namespaces.get(namespace)?.values() ?? []) {
      if (matches && !matches(record.metadata)) continue;
      scored.push({ record, score: similarity(this.metric, vector, record.values) });
    }
    const rank = byRank(this.metric);
    return scored.sort((a, b) => rank(a.score, b.score) || (a.record.id < b.record.id ? -1 : 1)).slice(0, topK);
  }

  deleteIds(namespace: string, ids: string[]): void {
    const target = this.#namespaces.get(namespace);
    if (!target) return;
    for (const id of ids) target.delete(id);
    this.#dropIfEmpty(namespace, target);
  }

  deleteWhere(namespace: string, matches: MetadataPredicate): void {
    const target = this.#namespaces.get(namespace);
    if (!target) return;
    for (const [id, record] of target) if (matches(record.metadata)) target.delete(id);
    this.#dropIfEmpty(namespace, target);
  }

  deleteNamespace(namespace: string): boolean {
    const existed = this.#namespaces.delete(namespace);
    if (existed) this.#save();
    return existed;
  }

  #dropIfEmpty(namespace: string, target: Map<string, StoredRecord>): void {
    if (target.size === 0) this.#namespaces.delete(namespace);
    this.#save();
  }

  #load(file: string): void {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedIndex;
    if (saved.dimension !== this.dimension || saved.metric !== this.metric) {
      throw new Error(
        `${file} holds a ${saved.dimension}-dimension ${saved.metric} index, not ${this.dimension}-dimension ${this.metric}`,
      );
    }
    for (const [name, records] of Object.entries(saved.namespaces)) {
      this.#namespaces.set(name, new Map(records.map((record) => [record.id, record])));
    }
  }

  // Synchronous on purpose: a write finishes before the next request is handled, so writes never
  // interleave, and the rename makes a crash leave either the old file or the new one, never half.
  #save(): void {
    if (!this.#dataFile) return;
    const saved: SavedIndex = { dimension: this.dimension, metric: this.metric, namespaces: {} };
    for (const [name, records] of this.#namespaces) saved.namespaces[name] = [...records.values()];
    mkdirSync(dirname(this.#dataFile), { recursive: true });
    const temporary = `${this.#dataFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(saved));
    renameSync(temporary, this.#dataFile);
  }
}
