import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
// The real Astro backend, as the test bed of this integration test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import astroPlugin from '@airflow-portal/plugin-astro-backend';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { astroClustersExtensionPoint } from '@airflow-portal/plugin-astro-node';
import {
  actionContext,
  CheckpointStore,
  testActionOptions,
} from '../__testUtils__/actionContext';
import { createAstroDeploymentCreateAction } from './deploymentCreate';
import { createAstroWorkspaceCreateAction } from './workspaceCreate';
import { createAstroDeploymentVariablesSetAction } from './deploymentVariablesSet';

jest.setTimeout(60_000);

/*
 * The actions against the real Astro backend: its validation, its
 * Idempotency-Key handling and its permission checks on the user's behalf.
 */
describe('Astro actions with the Astro backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  /** Declares one standard cluster. */
  const clusters = createBackendModule({
    pluginId: 'astro',
    moduleId: 'test-clusters',
    register(env) {
      env.registerInit({
        deps: { extension: astroClustersExtensionPoint },
        async init({ extension }) {
          extension.addClusterSource({
            getClusters: async () => [
              {
                name: 'shared-1',
                type: 'standard',
                provider: 'test',
                region: 'local',
                driver: 'test-nothing',
              },
            ],
          });
        },
      });
    },
  });

  /** A permission policy that denies the named permissions, allows the rest. */
  const denying = (denied: string[]) =>
    createServiceFactory({
      service: coreServices.permissions,
      deps: {},
      factory: () => {
        const decide = async (
          requests: Array<{ permission: { name: string } }>,
        ) =>
          requests.map(r => ({
            result: denied.includes(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          })) as any;
        return { authorize: decide, authorizeConditional: decide };
      },
    });

  async function setup(denied: string[] = []) {
    const knex = await databases.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [
        astroPlugin,
        clusters,
        ...(denied.length > 0 ? [denying(denied)] : []),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            astro: {
              demo: { seed: true },
              secrets: { encryptionKey: randomBytes(32).toString('base64') },
            },
          },
        }),
      ],
    });
    const port = (backend.server.address() as AddressInfo).port;
    const baseUrl = `http://localhost:${port}/api/astro`;
    const options = testActionOptions(() => baseUrl);
    const get = async (path: string) => {
      const response = await fetch(`${baseUrl}${path}`);
      return { status: response.status, body: await response.json() };
    };
    return { backend, options, get };
  }

  it('creates a Deployment once across a dry run and retries', async () => {
    const { backend, options, get } = await setup();
    try {
      const create = createAstroDeploymentCreateAction(options);
      const input = {
        organization: 'demo',
        workspace: 'data-engineering',
        name: 'from-template',
        settings: {
          executor: 'CELERY' as const,
          workerQueues: [
            { name: 'default', isDefault: true, minWorkers: 0, maxWorkers: 5 },
          ],
        },
      };

      await create.handler(actionContext(input, { isDryRun: true }));
      expect(
        (await get('/organizations/demo/deployments/from-template')).status,
      ).toBe(404);

      const checkpoints = new CheckpointStore();
      checkpoints.loseNext = true;
      await expect(
        create.handler(actionContext(input, { checkpoints })),
      ).rejects.toThrow('The worker died');
      const retry = actionContext(input, { checkpoints });
      await create.handler(retry);
      expect(retry.output).toHaveBeenCalledWith(
        'entityRef',
        'astrodeployment:demo/from-template',
      );

      const created = await get(
        '/organizations/demo/deployments/from-template',
      );
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        workspace: 'data-engineering',
        createdBy: 'user:default/mock',
        settings: {
          workerQueues: [expect.objectContaining({ maxWorkers: 5 })],
        },
      });
      const list = await get('/organizations/demo/deployments');
      expect(list.body.items).toHaveLength(1);

      // Now the name is taken: a dry run says so before anything runs.
      await expect(
        create.handler(actionContext(input, { isDryRun: true })),
      ).rejects.toThrow('Deployment demo/from-template already exists');

      // The backend's own validation reaches the template's log.
      await expect(
        create.handler(
          actionContext(
            {
              ...input,
              name: 'too-big',
              settings: { schedulerSize: 'HUGE' as any },
            },
            { taskId: 'other' },
          ),
        ),
      ).rejects.toThrow(
        /^400 from \/api\/astro\/organizations\/demo\/deployments: Scheduler size: /,
      );

      // … naming rows by what the template sent, not by JSON paths.
      const refused = create.handler(
        actionContext(
          {
            ...input,
            name: 'no-secret',
            settings: {
              environmentVariables: [{ key: 'API_TOKEN', secret: true }],
            },
          },
          { taskId: 'third' },
        ),
      );
      await expect(refused).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message:
            '400 from /api/astro/organizations/demo/deployments: Variable API_TOKEN, Value: is required for a new secret variable',
        }),
      );

      // A secret variable whose value comes from the template's secrets.
      await create.handler(
        actionContext(
          {
            ...input,
            name: 'with-secret',
            settings: {
              environmentVariables: [
                { key: 'LOG_LEVEL', value: 'debug', secret: false },
                { key: 'API_TOKEN', secret: true },
              ],
            },
            secretVariables: { API_TOKEN: 'secret-31ab' },
          },
          { taskId: 'fourth' },
        ),
      );
      const withSecret = await get(
        '/organizations/demo/deployments/with-secret/variables',
      );
      expect(withSecret.body.environmentVariables).toEqual([
        { key: 'LOG_LEVEL', value: 'debug', secret: false },
        { key: 'API_TOKEN', secret: true },
      ]);

      // Variables: a secret is written and never read back.
      const variables = createAstroDeploymentVariablesSetAction(options);
      const ctx = actionContext({
        organization: 'demo',
        deployment: 'from-template',
        variables: [{ key: 'API_TOKEN', value: 'secret-8d1c', secret: true }],
      });
      await variables.handler(ctx);
      const stored = await get(
        '/organizations/demo/deployments/from-template/variables',
      );
      expect(stored.body.environmentVariables).toEqual([
        { key: 'API_TOKEN', secret: true },
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('creates a workspace', async () => {
    const { backend, options, get } = await setup();
    try {
      const create = createAstroWorkspaceCreateAction(options);
      await create.handler(
        actionContext({
          organization: 'demo',
          name: 'ml',
          owner: 'group:default/ml',
        }),
      );
      expect(
        (await get('/organizations/demo/workspaces/ml')).body,
      ).toMatchObject({ owner: 'group:default/ml' });
    } finally {
      await backend.stop();
    }
  });

  it('acts as the user running the template: a permission the user lacks fails the step naming it', async () => {
    const { backend, options, get } = await setup(['astro.deployment.create']);
    try {
      const create = createAstroDeploymentCreateAction(options);
      await expect(
        create.handler(
          actionContext({
            organization: 'demo',
            workspace: 'data-engineering',
            name: 'not-allowed',
          }),
        ),
      ).rejects.toThrow(
        /denies astro\.deployment\.create on demo\/data-engineering/,
      );
      expect(
        (await get('/organizations/demo/deployments/not-allowed')).status,
      ).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});
