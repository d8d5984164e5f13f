import { TestDatabases } from '@backstage/backend-test-utils';
import { dagsBundle } from './__testUtils__/bundles';
import { DEPLOYER, setupDeploys } from './__testUtils__/deploysSetup';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('BundlePruner on %s', databaseId => {
  it('deletes bundles only deploys past retention reference, never the current one', async () => {
    const { deploys, knex, db, clock } = await setupDeploys(
      databases,
      databaseId,
      { retentionDays: 30 },
    );
    const deploy = async (marker: string) => {
      const bundle = await dagsBundle(marker);
      await deploys.service.deployBundle(
        DEPLOYER,
        'acme',
        'etl',
        { checksum: bundle.checksum },
        bundle.bytes,
      );
      return bundle.checksum;
    };
    const old = await deploy('old');
    const recent = await deploy('recent');
    const current = await deploy('current');
    // Age every deploy but the two last ones past retention.
    const ago = (days: number) =>
      new Date(clock.now().getTime() - days * 86_400_000);
    await knex('deploys').update({ created_at: ago(40) });
    await knex('dag_bundles').update({ created_at: ago(40) });
    await knex('deploys')
      .where({ bundle_version: recent })
      .update({ created_at: ago(10) });

    // An orphan: stored, but its deploy never recorded.
    const orphan = await dagsBundle('orphan');
    await db.deploys.insertBundle(
      { version: orphan.checksum, size: orphan.bytes.length, files: 3 },
      ago(1),
    );
    await db.bundleContents.put(orphan.checksum, orphan.bytes);
    // A bundle stored just now waits for its deploy.
    const fresh = await dagsBundle('fresh');
    await db.deploys.insertBundle(
      { version: fresh.checksum, size: fresh.bytes.length, files: 3 },
      clock.now(),
    );

    const pruned = await deploys.pruner.prune();
    expect(pruned.sort()).toEqual([old, orphan.checksum].sort());
    expect(await db.bundleContents.get(old)).toBeUndefined();
    expect(await db.bundleContents.get(orphan.checksum)).toBeUndefined();
    expect(await db.bundleContents.get(recent)).toBeDefined();
    // The current bundle stays even though its deploy is past retention.
    expect(await db.bundleContents.get(current)).toBeDefined();
    expect(
      (await knex('dag_bundles').select('version')).map(r => r.version).sort(),
    ).toEqual([current, recent, fresh.checksum].sort());
  });
});
