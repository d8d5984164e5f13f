import { errorFromException, errorFromResponse } from './errors';

describe('mapping failures to ClusterErrors', () => {
  it.each([
    [400, 'Invalid'],
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [404, 'NotFound'],
    [409, 'Conflict'],
    [410, 'Gone'],
    [422, 'Invalid'],
    [429, 'ServerError'],
    [500, 'ServerError'],
    [503, 'ServerError'],
    [504, 'Timeout'],
    [418, 'Unknown'],
  ])('maps HTTP %p to %p', (status, reason) => {
    expect(errorFromResponse('do it', status, '')).toMatchObject({
      reason,
      statusCode: status,
    });
  });

  it('recognises quota rejections and keeps the Status message and causes', () => {
    expect(
      errorFromResponse(
        'create pod',
        403,
        JSON.stringify({
          kind: 'Status',
          message:
            'pods "p" is forbidden: exceeded quota: compute, requested: cpu=2',
          reason: 'Forbidden',
        }),
      ),
    ).toMatchObject({
      reason: 'QuotaExceeded',
      message: expect.stringContaining('exceeded quota: compute'),
    });
    const invalid = errorFromResponse(
      'apply',
      422,
      JSON.stringify({
        kind: 'Status',
        message: 'Deployment.apps "x" is invalid',
        details: {
          causes: [{ message: 'Required value', field: 'spec.selector' }],
        },
      }),
    );
    expect(invalid.message).toBe(
      'apply: Deployment.apps "x" is invalid (Required value: spec.selector)',
    );
  });

  it('maps refused connections and timeouts', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:1'),
      {
        name: 'FetchError',
        code: 'ECONNREFUSED',
      },
    );
    expect(errorFromException('list', refused)).toMatchObject({
      reason: 'Unreachable',
      message: expect.stringContaining(
        'list: the API server cannot be reached (ECONNREFUSED)',
      ),
    });
    const aborted = Object.assign(new Error('The user aborted a request.'), {
      name: 'AbortError',
    });
    expect(errorFromException('get', aborted, 250)).toMatchObject({
      reason: 'Timeout',
      message: expect.stringContaining('get: no answer within 250 ms'),
    });
    expect(
      errorFromException(
        'watch',
        Object.assign(new Error('Forbidden'), { statusCode: 403 }),
      ),
    ).toMatchObject({
      reason: 'Forbidden',
      statusCode: 403,
    });
  });
});
