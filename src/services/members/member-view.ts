// A member as the admin API shows it: the end user's subject, its role, since when.
import type { ProjectRole } from '../../db/repositories/member-records.ts';

export interface MemberView {
  projectId: string;
  userId: string;
  role: ProjectRole;
  createdAt: string;
}

export function memberView(projectId: string, row: { userId: string; role: ProjectRole; createdAt: Date }): MemberView {
  return { projectId, userId: row.userId, role: row.role, createdAt: row.createdAt.toISOString() };
}
