// The run's two outputs: the whole report as JSON (for machines, and for --rollback, which reads
// the apply report to know what was created) and a summary a person can read in a terminal.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TargetTenant } from './owner-mapping.ts';
import type { Mode, Report } from './run-migration.ts';

export const reportFile = (dir: string, planId: string, mode: Mode) => join(dir, `${planId}.${mode}.json`);

export async function writeReport(dir: string, report: Report): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = reportFile(dir, report.planId, report.mode);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** The tenants an apply report lists: what --rollback removes. */
export async function appliedTenants(dir: string, planId: string): Promise<TargetTenant[]> {
  const file = reportFile(dir, planId, 'apply');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new Error(`no apply report at ${file}: --rollback removes what an apply report lists`);
  });
  const report = JSON.parse(text) as Report;
  if (report.planId !== planId || report.mode !== 'apply')
    throw new Error(`${file} is not an apply report of plan ${planId}`);
  return report.tenants;
}

export function summary(report: Report): string {
  const s = report.survey;
  const lines = [`migrate:legacy ${report.planId} — ${report.mode}: ${report.ok ? 'OK' : 'FAILED'}`];
  lines.push(
    `vectors: ${s.vectorMode === 'copy' ? 'copied (legacy model is the target embedder' : `re-embedded with ${report.embedder} (`}${s.vectorMode === 'copy' ? ')' : 'legacy model differs or no legacy vectors)'}`,
  );
  lines.push('', 'owner → tenant');
  for (const t of s.tenants) {
    const tables = Object.entries(t.tables)
      .map(([name, c]) => `${name} ${c.rows} rows/${c.chunks} chunks/${c.bytes} B`)
      .join(', ');
    const owners = t.owners.map((o) => (o === null ? '(no owner)' : o));
    const shown = owners.length > 3 ? `${owners.slice(0, 3).join(', ')} +${owners.length - 3}` : owners.join(', ');
    lines.push(
      `  ${shown} → ${t.tenant.slug}${t.tenant.provisioned ? ' (new)' : ''}: ${tables || 'no rows'}; ${t.vectors} vectors; ${t.objects} objects`,
    );
  }
  for (const r of s.refusedRows)
    lines.push(`  REFUSED ${r.rows} rows of ${r.table}: ${r.reason}${r.owner === null ? '' : ` (${r.owner})`}`);
  if (s.unplacedVectors.count > 0)
    lines.push(
      `  ${s.unplacedVectors.action === 'skip' ? 'skipped' : 'UNPLACED'} vectors: ${s.unplacedVectors.count} ${JSON.stringify(s.unplacedVectors.byReason)}`,
    );
  if (s.unplacedObjects.count > 0)
    lines.push(
      `  ${s.unplacedObjects.action === 'skip' ? 'skipped' : 'UNPLACED'} objects: ${s.unplacedObjects.count} ${JSON.stringify(s.unplacedObjects.byReason)}`,
    );
  lines.push(
    `  cache keys to purge: ${s.cacheKeys.count}${s.cacheKeys.sample.length ? ` (${s.cacheKeys.sample.slice(0, 5).join(', ')}…)` : ''}`,
  );
  if (s.losses.length > 0) lines.push('', 'would lose:', ...s.losses.map((l) => `  - ${l}`));
  if (report.refused) lines.push('', report.refused);
  if (report.applied) {
    const a = report.applied;
    lines.push(
      '',
      `applied: ${a.rows.documentsInserted} documents inserted (${a.rows.documentsSeen} read), ${a.vectorsCopied + a.rows.vectorsEmbedded} vectors, ${a.objects.copied} objects copied ${JSON.stringify(a.objects.methods)} (${a.objects.alreadyThere} already there), ${a.cacheKeysPurged} cache keys purged`,
    );
  }
  if (report.validation) {
    const v = report.validation;
    lines.push('', `validation: ${v.ok ? 'every tenant matches the source' : `${v.problems.length} mismatches`}`);
    for (const t of v.tenants) {
      const tables = Object.entries(t.tables)
        .map(([name, c]) => `${name} ${c.source}→${c.target}`)
        .join(', ');
      const objects = t.objects ? `; objects ${t.objects.expected}→${t.objects.actual}` : '';
      lines.push(
        `  ${t.tenant.slug}: ${tables}; vectors ${t.vectors.expected}→${t.vectors.actual}${objects}${t.problems.length ? ' MISMATCH' : ''}`,
      );
    }
    lines.push(...v.problems.slice(0, 30).map((p) => `  - ${p}`));
  }
  if (report.rollback) {
    for (const r of report.rollback) {
      lines.push(
        `  rolled back ${r.tenant.slug}: ${r.documents} documents, ${r.vectors} vectors, ${r.objects} objects${r.tenantDeleted ? ', tenant deleted' : ''}`,
      );
    }
  }
  return lines.join('\n');
}
