import { ConfigReader } from '@backstage/config';
import { DEFAULT_SCHEDULE, readAstroProviderConfig } from './config';

describe('readAstroProviderConfig', () => {
  it('runs every 5 minutes, once across replicas, by default', () => {
    expect(
      readAstroProviderConfig(
        new ConfigReader({ app: { baseUrl: 'http://portal' } }),
      ),
    ).toEqual({
      enabled: true,
      schedule: DEFAULT_SCHEDULE,
      pageSize: 500,
      deltaDelayMs: 250,
      appBaseUrl: 'http://portal',
    });
    expect(DEFAULT_SCHEDULE).toMatchObject({
      frequency: { minutes: 5 },
      scope: 'global',
    });
  });

  it('reads the schedule and keeps it global unless told otherwise', () => {
    const config = readAstroProviderConfig(
      new ConfigReader({
        catalog: {
          providers: {
            astro: {
              enabled: false,
              pageSize: 100,
              deltaDelayMs: 0,
              schedule: { frequency: 'PT1M', timeout: { seconds: 30 } },
            },
          },
        },
      }),
    );
    expect(config).toMatchObject({
      enabled: false,
      pageSize: 100,
      deltaDelayMs: 0,
      schedule: { timeout: { seconds: 30 }, scope: 'global' },
    });
    expect(
      readAstroProviderConfig(
        new ConfigReader({
          catalog: {
            providers: {
              astro: {
                schedule: {
                  frequency: { minutes: 1 },
                  timeout: 'PT30S',
                  scope: 'local',
                },
              },
            },
          },
        }),
      ).schedule.scope,
    ).toBe('local');
  });

  it('rejects a page size the API does not serve', () => {
    expect(() =>
      readAstroProviderConfig(
        new ConfigReader({
          catalog: { providers: { astro: { pageSize: 501 } } },
        }),
      ),
    ).toThrow(
      'catalog.providers.astro.pageSize must be an integer from 1 to 500',
    );
  });
});
