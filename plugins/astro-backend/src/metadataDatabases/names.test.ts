import { MAX_IDENTIFIER_LENGTH, metadataDatabaseNames } from './names';

describe('metadataDatabaseNames', () => {
  const id = 'd7c1a0e2-5b8f-4c3a-9e61-2f4b8d0c7a15';

  it('derives a readable, stable name from the deployment', () => {
    const names = metadataDatabaseNames({ deploymentId: id, name: 'prod' });
    expect(names.database).toMatch(/^airflow_prod_[0-9a-f]{12}$/);
    expect(names.role).toBe(names.database);
    expect(metadataDatabaseNames({ deploymentId: id, name: 'prod' })).toEqual(
      names,
    );
  });

  it('gives different deployments different names, whatever their names', () => {
    const a = metadataDatabaseNames({ deploymentId: 'a', name: 'prod' });
    const b = metadataDatabaseNames({ deploymentId: 'b', name: 'prod' });
    expect(a.database).not.toBe(b.database);
  });

  it.each([
    ['a-name-with-dashes', /^airflow_a_name_with_dashes_[0-9a-f]{12}$/],
    [
      'Robert"); DROP DATABASE x;--',
      /^airflow_robert_drop_database_x_[0-9a-f]{12}$/,
    ],
    ['ünïcödé', /^airflow_n_c_d_[0-9a-f]{12}$/],
    ['---', /^airflow_[0-9a-f]{12}$/],
    ['x'.repeat(200), /^airflow_x+_[0-9a-f]{12}$/],
  ])(
    'reduces %j to a plain identifier of at most 63 characters',
    (name, pattern) => {
      const { database } = metadataDatabaseNames({ deploymentId: id, name });
      expect(database).toMatch(pattern);
      expect(database).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(database.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
    },
  );

  it('honours a custom prefix and rejects an unsafe one', () => {
    expect(
      metadataDatabaseNames({ deploymentId: id, name: 'prod' }, 'astro_')
        .database,
    ).toMatch(/^astro_prod_/);
    expect(() =>
      metadataDatabaseNames({ deploymentId: id, name: 'prod' }, 'Bad"prefix'),
    ).toThrow(/prefix/);
  });
});
