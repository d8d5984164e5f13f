import { ConfigReader } from '@backstage/config';
import {
  readDeploymentOptions,
  readRuntimePullCredentials,
} from './deploymentOptions';

describe('runtime image pull credentials', () => {
  const config = new ConfigReader({
    astro: {
      runtimes: [
        {
          airflowVersion: '3.1.3',
          image: 'mirror.example.com/airflow:3.1.3',
          imagePullCredentials: [
            { registry: 'mirror.example.com', username: 'ci', password: 'pw' },
          ],
        },
        { airflowVersion: '2.11.0', image: 'apache/airflow:2.11.0' },
      ],
    },
  });

  it('keeps them by Airflow version, out of the options users read', () => {
    expect(readRuntimePullCredentials(config)).toEqual(
      new Map([
        [
          '3.1.3',
          [{ registry: 'mirror.example.com', username: 'ci', password: 'pw' }],
        ],
      ]),
    );
    expect(JSON.stringify(readDeploymentOptions(config))).not.toContain('pw');
  });

  it('refuses a registry given as a URL, naming the release', () => {
    expect(() =>
      readRuntimePullCredentials(
        new ConfigReader({
          astro: {
            runtimes: [
              {
                airflowVersion: '3.1.3',
                image: 'x',
                imagePullCredentials: [
                  { registry: 'https://x.io', username: 'a', password: 'b' },
                ],
              },
            ],
          },
        }),
      ),
    ).toThrow(/astro\.runtimes\[0\]: imagePullCredentials\[0\]\.registry/);
  });
});
