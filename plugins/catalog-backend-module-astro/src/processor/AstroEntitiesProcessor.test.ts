import { AstroEntitiesProcessor } from './AstroEntitiesProcessor';

describe('AstroEntitiesProcessor', () => {
  const processor = new AstroEntitiesProcessor();
  const entity = (kind: string) => ({
    apiVersion: 'astro.airflow-portal.dev/v1alpha1',
    kind,
    metadata: { name: 'x' },
  });

  it('claims the Astro kinds', async () => {
    for (const kind of [
      'AstroOrganization',
      'AstroWorkspace',
      'AstroDeployment',
      'AstroCluster',
    ]) {
      await expect(processor.validateEntityKind(entity(kind))).resolves.toBe(
        true,
      );
    }
  });

  it('leaves other kinds to other processors', async () => {
    await expect(
      processor.validateEntityKind(entity('Component')),
    ).resolves.toBe(false);
  });
});
