// The guard's own logic, without a browser: `test` from Playwright itself,
// not from ./fixtures, whose guard would open a page for nothing.
import { test, expect } from '@playwright/test';
import {
  astroApiPathOf,
  ExpectedFailure,
  failedRequestOf,
  isExpectedFailure,
} from './console';

const BACKEND = 'http://localhost:7007';

test.describe('the console guard: failed Astro API requests', () => {
  test('an Astro API response of 400 or more is a failed request', () => {
    expect(
      failedRequestOf({
        url: `${BACKEND}/api/astro/organizations/acme?limit=1`,
        status: 404,
        method: 'get',
      }),
    ).toEqual({
      method: 'GET',
      path: '/organizations/acme',
      url: `${BACKEND}/api/astro/organizations/acme?limit=1`,
      status: 404,
    });
    expect(
      failedRequestOf({
        url: `${BACKEND}/api/astro/health`,
        status: 503,
        method: 'GET',
      })?.status,
    ).toBe(503);
  });

  test('a success, a redirect or another API is not one', () => {
    for (const [url, status] of [
      [`${BACKEND}/api/astro/organizations`, 200],
      [`${BACKEND}/api/astro/organizations/acme/deployments`, 304],
      [`${BACKEND}/api/catalog/entities/by-name/user/default/x`, 404],
      [`${BACKEND}/api/astronomy/x`, 404],
      ['http://localhost:3000/astro/organizations/acme', 404],
    ] as const) {
      expect(failedRequestOf({ url, status, method: 'GET' })).toBeUndefined();
    }
  });

  test('the path is the part below /api/astro, without the query', () => {
    expect(astroApiPathOf(`${BACKEND}/api/astro/clusters/lab?x=1#y`)).toBe(
      '/clusters/lab',
    );
    expect(astroApiPathOf(`${BACKEND}/api/astro`)).toBeUndefined();
    expect(astroApiPathOf('not a url')).toBeUndefined();
  });

  test('a declared failure excuses its method, path and status only', () => {
    const failure = failedRequestOf({
      url: `${BACKEND}/api/astro/organizations/demo/deployments`,
      status: 409,
      method: 'POST',
    })!;
    const declared: ExpectedFailure = {
      method: 'POST',
      path: '/organizations/demo/deployments',
      status: 409,
    };
    expect(isExpectedFailure(failure, [declared])).toBe(true);
    expect(
      isExpectedFailure(failure, [
        { ...declared, path: /^\/organizations\/[^/]+\/deployments$/ },
      ]),
    ).toBe(true);
    expect(isExpectedFailure(failure, [])).toBe(false);
    expect(isExpectedFailure(failure, [{ ...declared, status: 400 }])).toBe(
      false,
    );
    expect(isExpectedFailure(failure, [{ ...declared, method: 'PUT' }])).toBe(
      false,
    );
    expect(
      isExpectedFailure(failure, [
        { ...declared, path: '/organizations/demo/deployments/x' },
      ]),
    ).toBe(false);
  });

  test('a failure that came before its declaration stays unexpected', () => {
    const failure = {
      ...failedRequestOf({
        url: `${BACKEND}/api/astro/organizations/demo/deployments/etl`,
        status: 404,
        method: 'GET',
      })!,
      at: 1000,
    };
    const declared = {
      method: 'GET' as const,
      path: '/organizations/demo/deployments/etl',
      status: 404,
    };
    expect(isExpectedFailure(failure, [{ ...declared, since: 1000 }])).toBe(
      true,
    );
    expect(isExpectedFailure(failure, [{ ...declared, since: 1001 }])).toBe(
      false,
    );
  });
});
