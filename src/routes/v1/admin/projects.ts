// /v1/projects (admin): create, rename, delete (409 while it holds documents, unless force=true), and
// its members. GET /v1/projects (any credential) stays in caller.ts.
import { Hono } from 'hono';
import type { AppEnv } from '../../../http/app-env.ts';
import { idempotent } from '../../../http/idempotency.ts';
import { describeTenantRoute, json, noContent } from '../../../http/openapi-describe.ts';
import { validate } from '../../../http/openapi-validate.ts';
import { serviceCall } from '../../../http/service-deps.ts';
import { listMembers } from '../../../services/members/list-members.ts';
import { removeMember } from '../../../services/members/remove-member.ts';
import { setMemberRole } from '../../../services/members/set-member-role.ts';
import { createProject } from '../../../services/projects-admin/create-project.ts';
import { deleteProject } from '../../../services/projects-admin/delete-project.ts';
import { renameProject } from '../../../services/projects-admin/rename-project.ts';
import { IdParam } from '../schemas.ts';
import { adminScope, requireTenantWide } from './guards.ts';
import { AdminProject, DeletedProject, MemberAnswer, MemberList } from './response-schemas.ts';
import { CreateProjectBody, DeleteProjectQuery, MemberBody, MemberParams, RenameProjectBody } from './schemas.ts';

const tags = ['admin: projects'];
const credentials = ['secretKey' as const, 'userJwt' as const];

export const adminProjectRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describeTenantRoute({
      summary: 'Create a project',
      description: 'Needs the admin scope and a tenant-wide credential.',
      tags,
      credentials,
      idempotent: true,
      responses: { 201: json('The new project', AdminProject) },
    }),
    adminScope,
    requireTenantWide,
    idempotent(),
    validate('json', CreateProjectBody),
    async (c) => c.json(await createProject({ ...serviceCall(c), input: c.req.valid('json') }), 201),
  )
  .patch(
    '/:id',
    describeTenantRoute({
      summary: 'Rename a project',
      tags,
      credentials,
      responses: { 200: json('The renamed project', AdminProject) },
    }),
    adminScope,
    validate('param', IdParam),
    validate('json', RenameProjectBody),
    async (c) => {
      const input = { projectId: c.req.valid('param').id, name: c.req.valid('json').name };
      return c.json(await renameProject({ ...serviceCall(c), input }));
    },
  )
  .delete(
    '/:id',
    describeTenantRoute({
      summary: 'Delete a project',
      description:
        '409 conflict while it holds documents; with force=true each document is deleted as DELETE /v1/documents/{id} does (vectors, objects, row) and counted, then the project with its conversations, members and key grants.',
      tags,
      credentials,
      errors: [409],
      responses: { 200: json('The deleted project and how many documents went with it', DeletedProject) },
    }),
    adminScope,
    requireTenantWide,
    validate('param', IdParam),
    validate('query', DeleteProjectQuery),
    async (c) => {
      const input = { projectId: c.req.valid('param').id, force: c.req.valid('query').force };
      return c.json(await deleteProject({ ...serviceCall(c), input }));
    },
  )
  .get(
    '/:id/members',
    describeTenantRoute({
      summary: "List a project's members and their roles",
      tags,
      credentials,
      responses: { 200: json('The members', MemberList) },
    }),
    adminScope,
    validate('param', IdParam),
    async (c) => c.json(await listMembers({ ...serviceCall(c), input: { projectId: c.req.valid('param').id } })),
  )
  .put(
    '/:id/members/:userId',
    describeTenantRoute({
      summary: "Add a user to a project, or change the user's role",
      description: 'userId is the subject (sub) of the user JWTs the tenant issues.',
      tags,
      credentials,
      responses: { 200: json('The member, and whether this call added it', MemberAnswer) },
    }),
    adminScope,
    validate('param', MemberParams),
    validate('json', MemberBody),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const input = { projectId: id, userId, role: c.req.valid('json').role };
      const result = await setMemberRole({ ...serviceCall(c), input });
      return c.json(result);
    },
  )
  .delete(
    '/:id/members/:userId',
    describeTenantRoute({
      summary: 'Remove a user from a project',
      tags,
      credentials,
      responses: { 204: noContent('Removed, or was not a member') },
    }),
    adminScope,
    validate('param', MemberParams),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      await removeMember({ ...serviceCall(c), input: { projectId: id, userId } });
      return c.body(null, 204);
    },
  );
