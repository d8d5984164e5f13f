import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  catalogEntity,
  startAstroTestBackend,
} from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(300_000);

const databases = TestDatabases.create();

const ADMIN = 'user:default/admin';

/** The people of the matrix: one per role, and two outsiders. */
const PEOPLE = {
  orgOwner: 'user:default/olivia',
  billing: 'user:default/bill',
  orgMember: 'user:default/omar',
  wsOwner: 'user:default/wendy',
  operator: 'user:default/otto',
  author: 'user:default/ada',
  wsMember: 'user:default/mia',
  depAdmin: 'user:default/dax',
  nobody: 'user:default/nobody',
  otherOrg: 'user:default/globex-owner',
} as const;
type Person = keyof typeof PEOPLE;
const EVERYONE = Object.keys(PEOPLE) as Person[];

/**
 * Who may see each resource the matrix targets (written from the role
 * model, not from the implementation): organization acme, its workspace
 * data-eng and Deployment etl in it.
 */
const SEES_ORG: Person[] = [
  'orgOwner',
  'billing',
  'orgMember',
  'wsOwner',
  'operator',
  'author',
  'wsMember',
  'depAdmin',
];
const SEES_WS: Person[] = [
  'orgOwner',
  'billing',
  'wsOwner',
  'operator',
  'author',
  'wsMember',
];
const SEES_DEP: Person[] = [...SEES_WS, 'depAdmin'];
const OWNS_WS: Person[] = ['orgOwner', 'wsOwner'];
const OPERATES_DEP: Person[] = ['orgOwner', 'wsOwner', 'operator', 'depAdmin'];
const AUTHORS_DEP: Person[] = [...OPERATES_DEP, 'author'];
const ADMINS_DEP_ROLES: Person[] = ['orgOwner', 'wsOwner', 'depAdmin'];

const ORG = '/api/astro/organizations/acme';
const WS = `${ORG}/workspaces/data-eng`;
const DEP = `${ORG}/deployments/etl`;
const MISSING_RULE = '00000000-0000-4000-8000-000000000000';
const ALERT_RULE = (who: string) => ({
  name: `failures-${who.toLowerCase()}`,
  type: 'dag-failure',
  channels: [{ type: 'notifications' }],
});
const UUID = '00000000-0000-4000-8000-000000000000';

interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: (who: Person) => string;
  body?: (who: Person) => object | string;
  contentType?: string;
  /** Who may do it; undefined: every signed-in caller. */
  allowed?: Person[];
  /** Who sees the resource (403 instead of 404 when not allowed). */
  sees?: Person[];
  /** A basic permission nobody but platform admins holds: always 403. */
  adminOnly?: boolean;
  /** Authenticated by bundle tokens only: 401 for every user. */
  bundleTokenOnly?: boolean;
  /** For backend services only: 403 for every user, platform admins included. */
  serviceOnly?: boolean;
}

/** Every operation of the OpenAPI document, by operationId. */
const OPERATIONS: Record<string, Operation> = {
  getHealth: { method: 'get', path: () => '/api/astro/health' },
  getDeploymentOptions: {
    method: 'get',
    path: () => '/api/astro/deployment-options',
  },
  listOrganizations: { method: 'get', path: () => '/api/astro/organizations' },
  createOrganization: {
    method: 'post',
    path: () => '/api/astro/organizations',
    body: who => ({ name: `org-${who.toLowerCase()}` }),
    adminOnly: true,
  },
  getOrganization: {
    method: 'get',
    path: () => ORG,
    allowed: SEES_ORG,
    sees: SEES_ORG,
  },
  updateOrganization: {
    method: 'patch',
    path: () => ORG,
    body: () => ({ description: 'changed' }),
    allowed: ['orgOwner'],
    sees: SEES_ORG,
  },
  deleteOrganization: {
    method: 'delete',
    path: () => ORG,
    allowed: ['orgOwner'],
    sees: SEES_ORG,
  },
  listWorkspaces: {
    method: 'get',
    path: () => `${ORG}/workspaces`,
    allowed: SEES_ORG,
    sees: SEES_ORG,
  },
  createWorkspace: {
    method: 'post',
    path: () => `${ORG}/workspaces`,
    body: who => ({ name: `ws-${who.toLowerCase()}` }),
    allowed: ['orgOwner'],
    sees: SEES_ORG,
  },
  getWorkspace: {
    method: 'get',
    path: () => WS,
    allowed: SEES_WS,
    sees: SEES_WS,
  },
  updateWorkspace: {
    method: 'patch',
    path: () => WS,
    body: () => ({ description: 'changed' }),
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  deleteWorkspace: {
    method: 'delete',
    path: () => WS,
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  listClusters: { method: 'get', path: () => '/api/astro/clusters' },
  createCluster: {
    method: 'post',
    path: () => '/api/astro/clusters',
    body: who => ({
      name: `c-${who.toLowerCase()}`,
      type: 'standard',
      provider: 'test',
      region: 'local',
      connection: { server: 'https://10.0.0.1:6443', token: 'x' },
    }),
    adminOnly: true,
  },
  getCluster: { method: 'get', path: () => '/api/astro/clusters/shared-1' },
  updateCluster: {
    method: 'patch',
    path: () => '/api/astro/clusters/shared-1',
    body: () => ({ title: 'x' }),
    adminOnly: true,
  },
  deleteCluster: {
    method: 'delete',
    path: () => '/api/astro/clusters/shared-1',
    adminOnly: true,
  },
  listAllDeployments: { method: 'get', path: () => '/api/astro/deployments' },
  listDeployments: {
    method: 'get',
    path: () => `${ORG}/deployments`,
    allowed: SEES_ORG,
    sees: SEES_ORG,
  },
  createDeployment: {
    method: 'post',
    path: () => `${ORG}/deployments`,
    body: who => ({ name: `d-${who.toLowerCase()}`, workspace: 'data-eng' }),
    allowed: ['orgOwner', 'wsOwner', 'operator'],
    sees: SEES_WS,
  },
  importDeployment: {
    method: 'post',
    path: () => `${ORG}/deployments:import`,
    contentType: 'application/yaml',
    body: who =>
      `apiVersion: astro.airflow-portal.dev/v1alpha1\nkind: AstroDeploymentFile\nmetadata:\n  name: i-${who.toLowerCase()}\n  workspace: data-eng\nspec: {}\n`,
    allowed: ['orgOwner', 'wsOwner', 'operator'],
    sees: SEES_WS,
  },
  getDeployment: {
    method: 'get',
    path: () => DEP,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  updateDeployment: {
    method: 'patch',
    path: () => DEP,
    body: () => ({ description: 'changed' }),
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  retryDatabaseMigration: {
    method: 'post',
    path: () => `${DEP}/migration/retry`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  setHibernationOverride: {
    method: 'post',
    path: () => `${DEP}/hibernation-override`,
    // Keeping it awake: the same permission, without scaling anything down.
    body: () => ({ isHibernating: false }),
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  deleteHibernationOverride: {
    method: 'delete',
    path: () => `${DEP}/hibernation-override`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  deleteDeployment: {
    method: 'delete',
    path: () => `${ORG}/deployments/doomed`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  getDeploymentVariables: {
    method: 'get',
    path: () => `${DEP}/variables`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  putDeploymentVariables: {
    method: 'put',
    path: () => `${DEP}/variables`,
    body: () => ({ environmentVariables: [] }),
    allowed: AUTHORS_DEP,
    sees: SEES_DEP,
  },
  listDeploymentEvents: {
    method: 'get',
    path: () => `${DEP}/events`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  getDeploymentComponents: {
    method: 'get',
    path: () => `${DEP}/components`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  getDeploymentHealth: {
    method: 'get',
    path: () => `${DEP}/health`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  getDeploymentHistory: {
    method: 'get',
    path: () => `${DEP}/history`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  listDeploymentIncidents: {
    method: 'get',
    path: () => `${DEP}/incidents`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  acknowledgeDeploymentIncident: {
    method: 'post',
    path: () => `${DEP}/incidents/1/acknowledge`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  listWorkspaceAlertRules: {
    method: 'get',
    path: () => `${WS}/alert-rules`,
    allowed: SEES_WS,
    sees: SEES_WS,
  },
  createWorkspaceAlertRule: {
    method: 'post',
    path: () => `${WS}/alert-rules`,
    body: who => ALERT_RULE(who),
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  listDeploymentAlertRules: {
    method: 'get',
    path: () => `${DEP}/alert-rules`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  createDeploymentAlertRule: {
    method: 'post',
    path: () => `${DEP}/alert-rules`,
    body: who => ALERT_RULE(who),
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  // A rule id nobody holds answers 404 to everyone, whatever they may see
  // (rules by id are found before their scope is authorized; the
  // permissions on existing rules are in api/alerts.test.ts).
  getAlertRule: {
    method: 'get',
    path: () => `${ORG}/alert-rules/${MISSING_RULE}`,
    allowed: [],
    sees: [],
  },
  updateAlertRule: {
    method: 'patch',
    path: () => `${ORG}/alert-rules/${MISSING_RULE}`,
    body: () => ({ enabled: false }),
    allowed: [],
    sees: [],
  },
  deleteAlertRule: {
    method: 'delete',
    path: () => `${ORG}/alert-rules/${MISSING_RULE}`,
    allowed: [],
    sees: [],
  },
  listAlertDeliveries: {
    method: 'get',
    path: () => `${ORG}/alert-rules/${MISSING_RULE}/deliveries`,
    allowed: [],
    sees: [],
  },
  listOrganizationIncidents: {
    method: 'get',
    path: () => `${ORG}/incidents`,
    allowed: SEES_ORG,
    sees: SEES_ORG,
  },
  exportDeployment: {
    method: 'get',
    path: () => `${DEP}/spec`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  listDeploys: {
    method: 'get',
    path: () => `${DEP}/deploys`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  createDeploy: {
    method: 'post',
    path: () => `${DEP}/deploys`,
    body: () => ({ type: 'IMAGE', image: 'etl:2' }),
    allowed: AUTHORS_DEP,
    sees: SEES_DEP,
  },
  getDeploy: {
    method: 'get',
    path: () => `${DEP}/deploys/${UUID}`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  rollbackDeploy: {
    method: 'post',
    path: () => `${DEP}/deploys/${UUID}/rollback`,
    body: () => ({}),
    allowed: AUTHORS_DEP,
    sees: SEES_DEP,
  },
  listDeploymentTokens: {
    method: 'get',
    path: () => `${DEP}/tokens`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  createDeploymentToken: {
    method: 'post',
    path: () => `${DEP}/tokens`,
    body: who => ({ name: `t-${who.toLowerCase()}` }),
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  revokeDeploymentToken: {
    method: 'delete',
    path: () => `${DEP}/tokens/${UUID}`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  rotateDeploymentToken: {
    method: 'post',
    path: () => `${DEP}/tokens/${UUID}/rotate`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  createAirflowSession: {
    method: 'post',
    path: () => `${DEP}/airflow/sessions`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  listAirflowDags: {
    method: 'get',
    path: () => `${DEP}/airflow/dags`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  updateAirflowDag: {
    method: 'patch',
    path: () => `${DEP}/airflow/dags/etl_daily`,
    body: () => ({ isPaused: true }),
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  triggerAirflowDagRun: {
    method: 'post',
    path: () => `${DEP}/airflow/dags/etl_daily/runs`,
    body: () => ({ conf: { full: true } }),
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  clearAirflowDagRun: {
    method: 'post',
    path: () =>
      `${DEP}/airflow/dags/etl_daily/runs/${encodeURIComponent(
        'scheduled__2026-12-01T00:00:00+00:00',
      )}/clear`,
    allowed: OPERATES_DEP,
    sees: SEES_DEP,
  },
  getAirflowRunSummary: {
    method: 'get',
    path: () => `${DEP}/airflow/runs/summary`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  listAirflowImportErrors: {
    method: 'get',
    path: () => `${DEP}/airflow/import-errors`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  listAirflowPools: {
    method: 'get',
    path: () => `${DEP}/airflow/pools`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  getAirflowHeartbeats: {
    method: 'get',
    path: () => `${DEP}/airflow/heartbeats`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  createAirflowToken: {
    method: 'post',
    path: () => `${DEP}/airflow/tokens`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  listWorkspaceTokens: {
    method: 'get',
    path: () => `${WS}/tokens`,
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  createWorkspaceToken: {
    method: 'post',
    path: () => `${WS}/tokens`,
    body: who => ({
      name: `wt-${who.toLowerCase()}`,
      role: 'WORKSPACE_MEMBER',
    }),
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  revokeWorkspaceToken: {
    method: 'delete',
    path: () => `${WS}/tokens/${UUID}`,
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  rotateWorkspaceToken: {
    method: 'post',
    path: () => `${WS}/tokens/${UUID}/rotate`,
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  getMyPermissions: {
    method: 'get',
    path: () =>
      `/api/astro/me/permissions?resource=${encodeURIComponent(
        'deployment:acme/etl',
      )}`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  listOrganizationRoles: {
    method: 'get',
    path: () => `${ORG}/roles`,
    allowed: SEES_ORG,
    sees: SEES_ORG,
  },
  setOrganizationRole: {
    method: 'put',
    path: () => `${ORG}/roles`,
    body: () => ({
      principal: 'group:default/auditors',
      role: 'ORGANIZATION_MEMBER',
    }),
    allowed: ['orgOwner'],
    sees: SEES_ORG,
  },
  removeOrganizationRole: {
    method: 'delete',
    path: () =>
      `${ORG}/roles?principal=${encodeURIComponent(
        'group:default/nobody-group',
      )}`,
    allowed: ['orgOwner'],
    sees: SEES_ORG,
  },
  listWorkspaceRoles: {
    method: 'get',
    path: () => `${WS}/roles`,
    allowed: SEES_WS,
    sees: SEES_WS,
  },
  setWorkspaceRole: {
    method: 'put',
    path: () => `${WS}/roles`,
    body: () => ({
      principal: 'group:default/auditors',
      role: 'WORKSPACE_MEMBER',
    }),
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  removeWorkspaceRole: {
    method: 'delete',
    path: () =>
      `${WS}/roles?principal=${encodeURIComponent(
        'group:default/nobody-group',
      )}`,
    allowed: OWNS_WS,
    sees: SEES_WS,
  },
  listDeploymentRoles: {
    method: 'get',
    path: () => `${DEP}/roles`,
    allowed: SEES_DEP,
    sees: SEES_DEP,
  },
  setDeploymentRole: {
    method: 'put',
    path: () => `${DEP}/roles`,
    body: () => ({
      principal: 'group:default/auditors',
      role: 'DEPLOYMENT_ADMIN',
    }),
    allowed: ADMINS_DEP_ROLES,
    sees: SEES_DEP,
  },
  removeDeploymentRole: {
    method: 'delete',
    path: () =>
      `${DEP}/roles?principal=${encodeURIComponent(
        'group:default/nobody-group',
      )}`,
    allowed: ADMINS_DEP_ROLES,
    sees: SEES_DEP,
  },
  listRoleBindingsOfPrincipals: {
    method: 'get',
    path: who =>
      `/api/astro/role-bindings?principal=${encodeURIComponent(PEOPLE[who])}`,
    serviceOnly: true,
  },
  getCurrentBundle: {
    method: 'get',
    path: () => `/api/astro/bundles/${UUID}/current`,
    bundleTokenOnly: true,
  },
  downloadBundle: {
    method: 'get',
    path: () => `/api/astro/bundles/${UUID}/versions/1`,
    bundleTokenOnly: true,
  },
  reportBundle: {
    method: 'put',
    path: () => `/api/astro/bundles/${UUID}/pods/p`,
    body: () => ({}),
    bundleTokenOnly: true,
  },
};

function operationIds(): string[] {
  const document = parseYaml(
    readFileSync(resolve(__dirname, '../schema/openapi.yaml'), 'utf8'),
  );
  return Object.values(document.paths).flatMap((operations: any) =>
    Object.values(operations)
      .map((operation: any) => operation.operationId)
      .filter(Boolean),
  );
}

function expectedStatus(operation: Operation, who: Person): 'ok' | number {
  if (operation.bundleTokenOnly) {
    return 401;
  }
  if (operation.adminOnly || operation.serviceOnly) {
    return 403;
  }
  if (!operation.allowed || operation.allowed.includes(who)) {
    return 'ok';
  }
  return operation.sees?.includes(who) ? 403 : 404;
}

describe.each(databases.eachSupportedId())(
  'access control with the Astro role policy on %s',
  databaseId => {
    async function setup() {
      const catalogEntities = [
        catalogEntity(ADMIN),
        ...Object.values(PEOPLE).map(ref => catalogEntity(ref)),
        catalogEntity('group:default/auditors'),
        catalogEntity('group:default/nobody-group'),
        // team-a-devs is a child of team-a; carol is in team-a-devs.
        catalogEntity('group:default/team-a', [
          { type: 'parentOf', targetRef: 'group:default/team-a-devs' },
        ]),
        catalogEntity('group:default/team-a-devs', [
          { type: 'childOf', targetRef: 'group:default/team-a' },
          { type: 'hasMember', targetRef: 'user:default/carol' },
        ]),
        catalogEntity('user:default/carol', [
          { type: 'memberOf', targetRef: 'group:default/team-a-devs' },
        ]),
      ];
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        policy: 'roles',
        catalogEntities,
        unauthenticatedByDefault: true,
        config: {
          bootstrapOwners: [ADMIN],
          permissions: { membershipCacheSeconds: 1 },
        },
      });
      const http = request(backend.server);
      const as = (ref: string) => ({
        get: (path: string) =>
          http.get(path).set('Authorization', mockCredentials.user.header(ref)),
        post: (path: string) =>
          http
            .post(path)
            .set('Authorization', mockCredentials.user.header(ref)),
        patch: (path: string) =>
          http
            .patch(path)
            .set('Authorization', mockCredentials.user.header(ref)),
        put: (path: string) =>
          http.put(path).set('Authorization', mockCredentials.user.header(ref)),
        delete: (path: string) =>
          http
            .delete(path)
            .set('Authorization', mockCredentials.user.header(ref)),
      });
      const admin = as(ADMIN);
      for (const org of ['acme', 'globex']) {
        await admin
          .post('/api/astro/organizations')
          .send({ name: org })
          .expect(201);
      }
      for (const ws of ['data-eng', 'analytics']) {
        await admin.post(`${ORG}/workspaces`).send({ name: ws }).expect(201);
      }
      for (const [name, workspace] of [
        ['etl', 'data-eng'],
        ['doomed', 'data-eng'],
        ['reports', 'analytics'],
      ]) {
        await admin
          .post(`${ORG}/deployments`)
          .send({ name, workspace })
          .expect(201);
      }
      const grant = (path: string, principal: string, role: string) =>
        admin.put(path).send({ principal, role }).expect(200);
      await grant(`${ORG}/roles`, PEOPLE.orgOwner, 'ORGANIZATION_OWNER');
      await grant(`${ORG}/roles`, PEOPLE.billing, 'ORGANIZATION_BILLING_ADMIN');
      await grant(`${ORG}/roles`, PEOPLE.orgMember, 'ORGANIZATION_MEMBER');
      await grant(`${WS}/roles`, PEOPLE.wsOwner, 'WORKSPACE_OWNER');
      await grant(`${WS}/roles`, PEOPLE.operator, 'WORKSPACE_OPERATOR');
      await grant(`${WS}/roles`, PEOPLE.author, 'WORKSPACE_AUTHOR');
      await grant(`${WS}/roles`, PEOPLE.wsMember, 'WORKSPACE_MEMBER');
      await grant(`${DEP}/roles`, PEOPLE.depAdmin, 'DEPLOYMENT_ADMIN');
      await grant(
        `${ORG}/deployments/doomed/roles`,
        PEOPLE.depAdmin,
        'DEPLOYMENT_ADMIN',
      );
      await grant(
        '/api/astro/organizations/globex/roles',
        PEOPLE.otherOrg,
        'ORGANIZATION_OWNER',
      );
      return { ...backend, http, as, admin };
    }

    it('answers every operation for every role as the role model says, without enumeration', async () => {
      const { as, stop } = await setup();
      const ids = operationIds();
      // The matrix covers the whole document: a new operation fails here
      // until its expectations are written down.
      expect(ids.filter(id => !OPERATIONS[id])).toEqual([]);
      const mismatches: string[] = [];
      // Mutations that remove the targets run last.
      const order = ids.sort(
        (a, b) =>
          Number(a.startsWith('delete')) - Number(b.startsWith('delete')),
      );
      for (const who of EVERYONE) {
        for (const id of order) {
          const operation = OPERATIONS[id];
          let call = as(PEOPLE[who])[operation.method](operation.path(who));
          if (operation.body) {
            const body = operation.body(who);
            call = call
              .set('Content-Type', operation.contentType ?? 'application/json')
              .send(body);
          }
          const response = await call;
          const expected = expectedStatus(operation, who);
          const ok =
            expected === 'ok'
              ? ![401, 403, 404].includes(response.status) ||
                // Allowed, and the target itself is absent (placeholder ids).
                (response.status === 404 &&
                  /Deploy .* not found|API token .* not found|holds no role|has no incident/.test(
                    response.body.error?.message ?? '',
                  ))
              : response.status === expected;
          if (!ok) {
            mismatches.push(
              `${who} ${id}: expected ${expected}, got ${response.status} ${
                response.body?.error?.message ?? ''
              }`,
            );
          }
        }
      }
      expect(mismatches).toEqual([]);
      await stop();
    });

    it('answers an invisible resource exactly like a missing one', async () => {
      const { as, stop } = await setup();
      const outsider = as(PEOPLE.otherOrg);
      for (const [existing, missing] of [
        [ORG, '/api/astro/organizations/nope'],
        [WS, `${ORG}/workspaces/nope`],
        [DEP, `${ORG}/deployments/nope`],
      ]) {
        const a = await outsider.get(existing);
        const b = await outsider.get(missing);
        expect([a.status, b.status]).toEqual([404, 404]);
        expect(a.body.error.name).toBe(b.body.error.name);
        expect(a.body.error.message.replace(/"[^"]+"/, '"x"')).toBe(
          b.body.error.message.replace(/"[^"]+"/, '"x"'),
        );
      }
      // A workspace member sees its Deployments, not the other workspace's.
      const list = await as(PEOPLE.wsMember)
        .get(`${ORG}/deployments`)
        .expect(200);
      expect(
        list.body.items.map((d: { name: string }) => d.name).sort(),
      ).toEqual(['doomed', 'etl']);
      // Across organizations, each role sees what it gives, counted in the
      // same query (the total never reveals hidden Deployments).
      const across: [Person, string[]][] = [
        ['orgOwner', ['doomed', 'etl', 'reports']],
        ['wsMember', ['doomed', 'etl']],
        ['depAdmin', ['doomed', 'etl']],
        ['orgMember', []],
        ['otherOrg', []],
        ['nobody', []],
      ];
      for (const [who, expected] of across) {
        const all = await as(PEOPLE[who]).get('/api/astro/deployments');
        expect([who, all.status]).toEqual([who, 200]);
        expect([
          who,
          all.body.items.map((d: { name: string }) => d.name),
        ]).toEqual([who, expected]);
        expect([who, all.body.totalCount]).toEqual([who, expected.length]);
      }
      const filtered = await as(PEOPLE.wsMember)
        .get('/api/astro/deployments?organization=acme&workspace=analytics')
        .expect(200);
      expect(filtered.body).toEqual({ items: [], totalCount: 0 });
      const orgs = await as(PEOPLE.otherOrg)
        .get('/api/astro/organizations')
        .expect(200);
      expect(orgs.body.items.map((o: { name: string }) => o.name)).toEqual([
        'globex',
      ]);
      await stop();
    });

    it('grants a group’s roles to members of its child groups, and stops when the binding is removed', async () => {
      const { as, admin, stop } = await setup();
      const carol = as('user:default/carol');
      await carol.get(WS).expect(404);
      await admin
        .put(`${WS}/roles`)
        .send({ principal: 'group:default/team-a', role: 'WORKSPACE_OPERATOR' })
        .expect(200);
      await carol.get(WS).expect(200);
      await carol
        .patch(DEP)
        .send({ description: 'by a nested group member' })
        .expect(200);
      const me = await carol
        .get(
          `/api/astro/me/permissions?resource=${encodeURIComponent(
            'workspace:acme/data-eng',
          )}`,
        )
        .expect(200);
      expect(me.body.claims).toEqual(
        expect.arrayContaining([
          'group:default/team-a-devs',
          'group:default/team-a',
        ]),
      );
      expect(me.body.roles).toEqual([
        expect.objectContaining({
          principal: 'group:default/team-a',
          role: 'WORKSPACE_OPERATOR',
        }),
      ]);
      expect(me.body.allowed).toContain('astro.deployment.create');
      expect(me.body.denied).toContain('astro.workspace.roles.manage');

      await admin
        .delete(
          `${WS}/roles?principal=${encodeURIComponent('group:default/team-a')}`,
        )
        .expect(204);
      // Bindings are read with every decision: the removal is effective
      // at once (group memberships alone are cached, 1 s here).
      await carol.get(WS).expect(404);
      await stop();
    });

    it('answers the bindings of principals to backend services only, platform admins included', async () => {
      const { http, as, admin, stop } = await setup();
      await admin
        .put(`${WS}/roles`)
        .send({ principal: 'group:default/team-a', role: 'WORKSPACE_MEMBER' })
        .expect(200);
      const query = `principal=${encodeURIComponent(
        PEOPLE.depAdmin,
      )}&principal=${encodeURIComponent('group:default/TEAM-A')}`;
      const service = await http
        .get(`/api/astro/role-bindings?${query}`)
        .set('Authorization', mockCredentials.service.header())
        .expect(200);
      const bindings = service.body.items.map(
        (b: { principal: string; role: string; scope: object }) => [
          b.principal,
          b.role,
          b.scope,
        ],
      );
      expect(bindings).toHaveLength(3);
      expect(bindings).toEqual(
        expect.arrayContaining([
          [
            PEOPLE.depAdmin,
            'DEPLOYMENT_ADMIN',
            { kind: 'deployment', organization: 'acme', deployment: 'doomed' },
          ],
          [
            PEOPLE.depAdmin,
            'DEPLOYMENT_ADMIN',
            { kind: 'deployment', organization: 'acme', deployment: 'etl' },
          ],
          [
            'group:default/team-a',
            'WORKSPACE_MEMBER',
            { kind: 'workspace', organization: 'acme', workspace: 'data-eng' },
          ],
        ]),
      );
      const single = await http
        .get(
          `/api/astro/role-bindings?principal=${encodeURIComponent(
            PEOPLE.otherOrg,
          )}`,
        )
        .set('Authorization', mockCredentials.service.header())
        .expect(200);
      expect(single.body.items).toEqual([
        expect.objectContaining({
          role: 'ORGANIZATION_OWNER',
          scope: { kind: 'organization', organization: 'globex' },
        }),
      ]);
      const forbidden = await admin
        .get(`/api/astro/role-bindings?${query}`)
        .expect(403);
      expect(forbidden.body.error.message).toMatch(/for backend services/);
      await as(PEOPLE.depAdmin)
        .get(`/api/astro/role-bindings?${query}`)
        .expect(403);
      await http.get(`/api/astro/role-bindings?${query}`).expect(401);
      const bad = await http
        .get('/api/astro/role-bindings?principal=user%3A')
        .set('Authorization', mockCredentials.service.header())
        .expect(400);
      expect(bad.body.error.message).toMatch(/principal/);
      await stop();
    });

    it('refuses bindings to principals the catalog does not have, or roles of another scope', async () => {
      const { admin, stop } = await setup();
      const unknown = await admin
        .put(`${WS}/roles`)
        .send({ principal: 'group:default/ghosts', role: 'WORKSPACE_MEMBER' })
        .expect(400);
      expect(unknown.body.error.message).toMatch(
        /^principal: .*not a Group in the catalog/,
      );
      const wrongScope = await admin
        .put(`${WS}/roles`)
        .send({ principal: PEOPLE.nobody, role: 'ORGANIZATION_OWNER' })
        .expect(400);
      expect(wrongScope.body.error.message).toMatch(
        /^role: ORGANIZATION_OWNER is a organization role/,
      );
      const component = await admin
        .put(`${WS}/roles`)
        .send({ principal: 'component:default/x', role: 'WORKSPACE_MEMBER' })
        .expect(400);
      expect(component.body.error.message).toMatch(/^principal: /);
      await stop();
    });

    it('makes the creator of an organization its owner and never issues a token above its creator’s role', async () => {
      const { as, admin, stop } = await setup();
      const mine = await admin
        .get('/api/astro/organizations/acme/roles')
        .expect(200);
      expect(mine.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            principal: ADMIN,
            role: 'ORGANIZATION_OWNER',
          }),
        ]),
      );
      const issued = await as(PEOPLE.wsOwner)
        .post(`${WS}/tokens`)
        .send({ name: 'ci', role: 'WORKSPACE_OWNER' })
        .expect(201);
      expect(issued.body.role).toBe('WORKSPACE_OWNER');
      // An operator cannot manage workspace tokens at all; an owner of the
      // workspace can, up to its own role.
      await as(PEOPLE.operator)
        .post(`${WS}/tokens`)
        .send({ name: 'ci', role: 'WORKSPACE_MEMBER' })
        .expect(403);
      await stop();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'API token role caps on %s',
  databaseId => {
    it('refuses a workspace token above its creator’s role even when a policy lets the creator manage tokens', async () => {
      // The mock policy allows every permission; the role model still
      // caps the token's role at what its creator holds.
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        unauthenticatedByDefault: true,
        catalogEntities: [catalogEntity(ADMIN), catalogEntity(PEOPLE.wsMember)],
      });
      const http = request(backend.server);
      const owner = mockCredentials.user.header(ADMIN);
      const member = mockCredentials.user.header(PEOPLE.wsMember);
      await http
        .post('/api/astro/organizations')
        .set('Authorization', owner)
        .send({ name: 'acme' })
        .expect(201);
      await http
        .post(`${ORG}/workspaces`)
        .set('Authorization', owner)
        .send({ name: 'data-eng' })
        .expect(201);
      await http
        .put(`${WS}/roles`)
        .set('Authorization', owner)
        .send({ principal: PEOPLE.wsMember, role: 'WORKSPACE_AUTHOR' })
        .expect(200);
      const above = await http
        .post(`${WS}/tokens`)
        .set('Authorization', member)
        .send({ name: 'ci', role: 'WORKSPACE_OPERATOR' })
        .expect(403);
      expect(above.body.error.message).toMatch(
        /never exceeds its creator's role; you hold WORKSPACE_AUTHOR/,
      );
      await http
        .post(`${WS}/tokens`)
        .set('Authorization', member)
        .send({ name: 'ci', role: 'WORKSPACE_AUTHOR' })
        .expect(201);
      await backend.stop();
    });
  },
);
