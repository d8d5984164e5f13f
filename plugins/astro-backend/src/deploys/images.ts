import { InputError } from '@backstage/errors';

/** The ImageReference pattern of the OpenAPI document. */
const IMAGE_REFERENCE =
  /^([a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;

const EXAMPLE = 'registry.example.com/data/etl:2026.11.30';

/**
 * Checks an image reference: `[registry/]repository[:tag][@sha256:digest]`
 * in lowercase, with a tag or a digest (an image deploy must say which
 * image it rolls out; an implicit `latest` would not).
 */
export function validateImageReference(image: string, field: string): void {
  if (image.length > 500 || !IMAGE_REFERENCE.test(image)) {
    throw new InputError(
      `${field}: ${JSON.stringify(
        image.slice(0, 100),
      )} is not an image reference; use [registry/]repository[:tag][@sha256:digest] in lowercase, e.g. ${EXAMPLE}`,
    );
  }
  const lastSegment = image.split('/').pop() ?? '';
  if (!lastSegment.includes(':') && !lastSegment.includes('@')) {
    throw new InputError(
      `${field}: ${JSON.stringify(
        image,
      )} has neither a tag nor a digest; name the image to deploy, e.g. ${EXAMPLE}`,
    );
  }
}

/**
 * The registry an image is pulled from: its first path segment when that
 * names a host (has a dot or a port, or is `localhost`), else Docker Hub.
 */
export function registryOf(image: string): string {
  const [first, ...rest] = image.split('/');
  if (
    rest.length > 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
  ) {
    return first;
  }
  return 'docker.io';
}
