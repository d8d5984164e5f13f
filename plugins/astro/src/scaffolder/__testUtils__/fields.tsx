import { ReactElement } from 'react';
import {
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import {
  Deployment,
  DeploymentSummary,
  Organization,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import { testDeploymentOptions } from '@airflow-portal/plugin-astro-common/testUtils';
import { AstroApi, astroApiRef } from '../../api';

export const deploymentOptions = testDeploymentOptions;

const AUDIT = {
  description: '',
  createdAt: '2026-11-26T10:00:00.000Z',
  createdBy: 'user:default/jane',
  updatedAt: '2026-11-26T10:00:00.000Z',
  updatedBy: 'user:default/jane',
  version: 1,
};

export const organization = (name: string, title: string): Organization => ({
  name,
  title,
  ...AUDIT,
});

export const workspace = (
  org: string,
  name: string,
  title: string,
): Workspace => ({
  name,
  organization: org,
  title,
  clusterGrants: [],
  ...AUDIT,
});

/** The part of the Astro API the fields use, over fixed data. */
export function fakeAstroApi(
  options: {
    organizations?: Organization[];
    workspaces?: Workspace[];
    deployments?: Array<Pick<Deployment, 'organization' | 'name'>>;
  } = {},
) {
  const organizations = options.organizations ?? [
    organization('acme', 'ACME'),
    organization('globex', 'Globex'),
  ];
  const workspaces = options.workspaces ?? [
    workspace('acme', 'data-eng', 'Data Engineering'),
    workspace('acme', 'analytics', 'Analytics'),
    workspace('globex', 'ml', 'Machine Learning'),
  ];
  const deployments = options.deployments ?? [
    { organization: 'acme', name: 'prod-etl' },
  ];
  return {
    getDeploymentOptions: jest.fn(async () => deploymentOptions),
    listOrganizations: jest.fn(async () => ({ items: organizations })),
    listWorkspaces: jest.fn(async ({ path }: { path: { org: string } }) => ({
      items: workspaces.filter(w => w.organization === path.org),
    })),
    listAllDeployments: jest.fn(
      async ({
        query,
      }: {
        query?: { organization?: string; name?: string };
      }) => {
        const items = deployments.filter(
          d =>
            (!query?.organization || d.organization === query.organization) &&
            (!query?.name || d.name === query.name),
        ) as DeploymentSummary[];
        return { items, totalCount: items.length };
      },
    ),
  } satisfies Partial<AstroApi>;
}

/** Renders a field with the fake API. */
export function renderField(
  element: ReactElement,
  api: Partial<AstroApi> = fakeAstroApi(),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[astroApiRef, api]]}>{element}</TestApiProvider>,
  );
}

/** What a field validator gets besides the value. */
export function validatorContext(
  api: Partial<AstroApi>,
  formData: Record<string, unknown> = {},
  uiOptions: Record<string, string> = {},
) {
  const errors: string[] = [];
  return {
    errors,
    validation: {
      addError: (message: string) => {
        errors.push(message);
      },
      __errors: errors,
    },
    context: {
      apiHolder: TestApiRegistry.from([astroApiRef, api]),
      formData: formData as any,
      schema: {},
      uiSchema: { 'ui:options': uiOptions } as any,
    },
  };
}
