import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import { AstroEntitiesProcessor } from './AstroEntitiesProcessor';

/* The repository's hand-written example entities stay valid. */
describe('examples/astro-entities.yaml', () => {
  const location = { type: 'file', target: 'astro-entities.yaml' };
  const results = [
    ...parseEntityYaml(
      readFileSync(
        resolve(__dirname, '../../../../examples/astro-entities.yaml'),
      ),
      location,
    ),
  ];

  it('holds one entity of each Astro kind, each valid, with its relations', async () => {
    const processor = new AstroEntitiesProcessor();
    const kinds: string[] = [];
    const relations: string[] = [];
    for (const result of results) {
      if (result.type !== 'entity') {
        throw new Error(`unexpected ${result.type}`);
      }
      kinds.push(result.entity.kind);
      await expect(processor.validateEntityKind(result.entity)).resolves.toBe(
        true,
      );
      await processor.postProcessEntity(result.entity, location, emitted => {
        if (emitted.type === 'relation') {
          const { source, type, target } = emitted.relation;
          relations.push(
            `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(
              target,
            )}`,
          );
        }
      });
    }
    expect(kinds.sort()).toEqual([
      'AstroCluster',
      'AstroDeployment',
      'AstroOrganization',
      'AstroWorkspace',
    ]);
    expect(relations).toEqual(
      expect.arrayContaining([
        'astroworkspace:example/ingestion partOf astroorganization:example/example',
        'astrodeployment:example/nightly-etl partOf astroworkspace:example/ingestion',
        'astrodeployment:example/nightly-etl dependsOn astrocluster:default/example-eu',
        'group:default/data-engineering ownerOf astroworkspace:example/ingestion',
      ]),
    );
  });
});
