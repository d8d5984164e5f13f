import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  astroClusterEntityRef,
  astroDeploymentEntityRef,
  astroOrganizationEntityRef,
  astroWorkspaceEntityRef,
  getAstroEntityResource,
} from './refs';
import { resolveAstroOrganizationRef } from './relations';
import {
  astroDeploymentEntitySchema,
  astroOrganizationEntitySchema,
} from './schemas';
import {
  astroDeploymentEntityV1alpha1Validator,
  isAstroDeploymentEntity,
  validateAstroEntity,
} from './validators';

describe('Astro entity names', () => {
  it('puts everything of an organization in its namespace and clusters in default', () => {
    expect(stringifyEntityRef(astroOrganizationEntityRef('acme'))).toBe(
      'astroorganization:acme/acme',
    );
    expect(stringifyEntityRef(astroWorkspaceEntityRef('acme', 'etl'))).toBe(
      'astroworkspace:acme/etl',
    );
    expect(stringifyEntityRef(astroDeploymentEntityRef('acme', 'etl'))).toBe(
      'astrodeployment:acme/etl',
    );
    expect(stringifyEntityRef(astroClusterEntityRef('simulator'))).toBe(
      'astrocluster:default/simulator',
    );
  });

  it('resolves a short organization ref in the namespace named after it', () => {
    expect(resolveAstroOrganizationRef('acme')).toEqual({
      kind: 'AstroOrganization',
      namespace: 'acme',
      name: 'acme',
    });
    expect(
      resolveAstroOrganizationRef('astroorganization:other/acme'),
    ).toMatchObject({ namespace: 'other', name: 'acme' });
    expect(() => resolveAstroOrganizationRef('group:acme')).toThrow(
      '/spec/organization must refer to AstroOrganization, not "group:acme"',
    );
  });

  it('tells the API resource of an entity from annotations or its name', () => {
    expect(
      getAstroEntityResource({
        apiVersion: 'astro.airflow-portal.dev/v1alpha1',
        kind: 'AstroDeployment',
        metadata: {
          name: 'etl',
          namespace: 'acme',
          annotations: {
            'astro.airflow-portal.dev/organization': 'acme-corp',
            'astro.airflow-portal.dev/deployment': 'etl-2',
          },
        },
      }),
    ).toEqual({
      type: 'deployment',
      organization: 'acme-corp',
      deployment: 'etl-2',
    });
    expect(
      getAstroEntityResource({
        apiVersion: 'astro.airflow-portal.dev/v1alpha1',
        kind: 'AstroWorkspace',
        metadata: { name: 'etl', namespace: 'acme' },
      }),
    ).toEqual({ type: 'workspace', organization: 'acme', workspace: 'etl' });
    expect(
      getAstroEntityResource({
        apiVersion: 'astro.airflow-portal.dev/v1alpha1',
        kind: 'AstroCluster',
        metadata: { name: 'simulator' },
      }),
    ).toEqual({ type: 'cluster', cluster: 'simulator' });
    expect(
      getAstroEntityResource({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      }),
    ).toBeUndefined();
  });
});

describe('Astro entity schemas', () => {
  it('accept their own examples', async () => {
    for (const schema of [
      astroDeploymentEntitySchema,
      astroOrganizationEntitySchema,
    ]) {
      const [example] = schema.examples as unknown[];
      expect(validateAstroEntity(example)).toBe(example);
    }
    const [deployment] = astroDeploymentEntitySchema.examples as any[];
    await expect(
      astroDeploymentEntityV1alpha1Validator.check(deployment),
    ).resolves.toBe(true);
    expect(isAstroDeploymentEntity(deployment)).toBe(true);
  });

  it('leave other kinds alone', async () => {
    const component = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {},
    };
    expect(validateAstroEntity(component)).toBe(false);
    await expect(
      astroDeploymentEntityV1alpha1Validator.check(component),
    ).resolves.toBe(false);
  });
});
