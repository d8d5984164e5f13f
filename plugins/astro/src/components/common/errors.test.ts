import { ResponseError } from '@backstage/errors';
import { messageOf, permissionDenialOf } from './errors';

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

describe('permission denials', () => {
  it('reads the permission and the resource of a 403', async () => {
    const error = await responseError(
      403,
      'The permission policy denies astro.deployment.update on acme/foo',
    );
    expect(permissionDenialOf(error)).toEqual({
      permission: 'astro.deployment.update',
      resourceRef: 'acme/foo',
    });
    expect(messageOf(error)).toBe(
      'You need astro.deployment.update on acme/foo',
    );
  });

  it('takes a 403 that names only the permission', async () => {
    const error = await responseError(
      403,
      'Missing permission astro.cluster.manage',
    );
    expect(messageOf(error)).toBe('You need astro.cluster.manage');
  });

  it('keeps the message of other 403s and of other statuses', async () => {
    expect(messageOf(await responseError(403, 'Token expired'))).toBe(
      'Token expired',
    );
    const notFound = await responseError(
      404,
      'No Deployment astro.deployment.update on acme/foo',
    );
    expect(permissionDenialOf(notFound)).toBeUndefined();
    expect(messageOf(new Error('boom'))).toBe('boom');
  });
});
