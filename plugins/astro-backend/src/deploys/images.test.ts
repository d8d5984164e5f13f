import { registryOf, validateImageReference } from './images';

describe('image references', () => {
  it.each([
    'registry.example.com/data/etl:2026.11.30',
    'apache/airflow:3.1.3',
    'localhost:5000/etl:dev',
    `ghcr.io/acme/etl@sha256:${'a'.repeat(64)}`,
    `etl:1@sha256:${'b'.repeat(64)}`,
  ])('accepts %s', image => {
    expect(() => validateImageReference(image, 'image')).not.toThrow();
  });

  it.each([
    ['uppercase', 'Registry.example.com/etl:1', /is not an image reference/],
    ['spaces', 'etl :1', /is not an image reference/],
    ['a shell command', 'etl:1;rm -rf /', /is not an image reference/],
    [
      'no tag or digest',
      'registry.example.com/data/etl',
      /neither a tag nor a digest/,
    ],
    ['a port but no tag', 'localhost:5000/etl', /neither a tag nor a digest/],
  ])('refuses %s, naming the field', (_what, image, problem) => {
    expect(() => validateImageReference(image, 'query.image')).toThrow(problem);
    expect(() => validateImageReference(image, 'query.image')).toThrow(
      /^query\.image: /,
    );
  });

  it.each([
    ['registry.example.com/data/etl:1', 'registry.example.com'],
    ['localhost:5000/etl:1', 'localhost:5000'],
    ['localhost/etl:1', 'localhost'],
    ['apache/airflow:3.1.3', 'docker.io'],
    ['etl:1', 'docker.io'],
  ])('pulls %s from %s', (image, registry) => {
    expect(registryOf(image)).toBe(registry);
  });
});
