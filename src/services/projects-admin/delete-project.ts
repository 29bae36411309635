// DELETE /v1/projects/{id}: a project goes only when it holds no document. Without `force` a project
// with documents is 409 (the count named); with it, each document is removed by the same delete
// DELETE /v1/documents/{id} runs (vectors, objects, row), counted, and then the project row, whose
// conversations, members and key grants cascade. The project row is deleted only if no document is
// left at that moment, so a document created during a forced delete is removed in the next round
// (or the call ends in 409), never orphaned by the cascade with its vectors and objects.
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  countProjectDocuments,
  deleteEmptyProject,
  projectDocumentIds,
  projectExists,
  visibleProjectId,
} from '../../db/repositories/project-admin-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import { assertTenantWide } from '../api-keys/tenant-wide-admin.ts';
import { accessEntry, auditEntry } from '../audit.ts';
import { deleteDocument } from '../documents/delete-document.ts';
import type { ServiceCall } from '../service-deps.ts';

const DOCUMENTS_PER_ROUND = 100;
/** Rounds of "delete what is there, then try the project": more means documents keep arriving. */
const MAX_ROUNDS = 20;

export interface DeleteProjectInput {
  projectId: string;
  force: boolean;
}

/** No id: the caller named it, and an echo would be all a "not there" answer could add. */
export interface DeletedProject {
  documentsDeleted: number;
}

export async function deleteProject({ ctx, deps, input }: ServiceCall<DeleteProjectInput>): Promise<DeletedProject> {
  assertTenantWide(ctx);
  const { projectId } = input;
  let documentsDeleted = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const [deleted, remaining, found] = await withTenant(ctx, deps.settings, (scope) => [
      deleteEmptyProject(scope, projectId),
      countProjectDocuments(scope, projectId),
      projectDocumentIds(scope, projectId, DOCUMENTS_PER_ROUND),
      // A refusal (no such project) is recorded here; a deletion below, once it happened.
      recordAccess(
        scope,
        accessEntry(ctx, deps, {
          action: 'project.delete',
          targetType: 'project',
          targetId: projectId,
          projectOf: visibleProjectId(projectId),
        }),
        projectExists(projectId),
        { onlyWhenMissing: true },
      ),
    ]);
    if (deleted.length > 0) {
      await withTenant(ctx, deps.settings, (scope) => [
        recordAuditEvent(
          scope,
          auditEntry(ctx, deps, {
            action: 'project.delete',
            targetType: 'project',
            targetId: projectId,
            detail: { force: input.force, documentsDeleted },
          }),
        ),
      ]);
      return { documentsDeleted };
    }
    const documents = remaining[0]?.documents ?? 0;
    // No row was deleted and no document blocked it: not there (any more, or for this caller).
    // Idempotent like DELETE /v1/documents/{id}: the same answer as a delete, nothing removed.
    if (documents === 0) return { documentsDeleted };
    if (!input.force) {
      throw new ApiError(
        'conflict',
        `The project holds ${documents} document(s); delete them first or pass force=true to delete them with it`,
      );
    }
    for (const document of found) {
      await deleteDocument({ ctx, deps, input: { documentId: document.id } });
      documentsDeleted += 1;
    }
  }
  throw new ApiError('conflict', 'Documents are still being added to this project; retry the delete', {
    'Retry-After': '2',
  });
}
