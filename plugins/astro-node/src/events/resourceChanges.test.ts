import {
  ASTRO_RESOURCES_TOPIC,
  AstroResourceChange,
  createAstroResourceChangesEvent,
  isAstroResourceChange,
  parseAstroResourceChanges,
} from './resourceChanges';

/*
 * The contract between the Astro backend, which publishes these events, and
 * their consumers (the catalog module), which may run in another process and
 * another version.
 */
describe('Astro resource change events', () => {
  const changes: AstroResourceChange[] = [
    { kind: 'organization', name: 'acme', action: 'created' },
    {
      kind: 'workspace',
      organization: 'acme',
      name: 'data-eng',
      action: 'updated',
    },
    {
      kind: 'deployment',
      organization: 'acme',
      name: 'etl',
      action: 'status',
      id: 'd0a4c3e2-3b7a-4f0e-9a51-0c6f2b1e8d90',
    },
    { kind: 'cluster', name: 'shared-1', action: 'deleted' },
  ];

  it('reads back what the publisher writes', () => {
    const event = createAstroResourceChangesEvent(changes);
    expect(event.topic).toBe('astro.resources');
    expect(event.topic).toBe(ASTRO_RESOURCES_TOPIC);
    // Events between processes travel as JSON.
    const received = JSON.parse(JSON.stringify(event.eventPayload));
    expect(parseAstroResourceChanges(received)).toEqual(changes);
  });

  it('keeps only the fields of the contract', () => {
    expect(
      parseAstroResourceChanges({
        changes: [
          { kind: 'cluster', name: 'shared-1', action: 'created', extra: 1 },
        ],
      }),
    ).toEqual([{ kind: 'cluster', name: 'shared-1', action: 'created' }]);
  });

  it.each([
    ['an unknown kind', { kind: 'team', name: 'a', action: 'created' }],
    ['an unknown action', { kind: 'cluster', name: 'a', action: 'renamed' }],
    ['an empty name', { kind: 'cluster', name: '', action: 'created' }],
    [
      'a name that is not a string',
      { kind: 'cluster', name: 7, action: 'created' },
    ],
    [
      'a Deployment without its organization',
      { kind: 'deployment', name: 'etl', action: 'created' },
    ],
    [
      'a workspace with an empty organization',
      { kind: 'workspace', organization: '', name: 'a', action: 'created' },
    ],
    [
      'an id that is not a string',
      {
        kind: 'deployment',
        organization: 'acme',
        name: 'etl',
        action: 'created',
        id: 42,
      },
    ],
    ['null', null],
    ['a string', 'astro'],
  ])('leaves out a change with %s', (_what, change) => {
    expect(isAstroResourceChange(change)).toBe(false);
    expect(
      parseAstroResourceChanges({ changes: [change, changes[0]] }),
    ).toEqual([changes[0]]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'changes'],
    ['an object without changes', { change: changes }],
    ['changes that are not a list', { changes: changes[0] }],
  ])('reads no change from %s', (_what, payload) => {
    expect(parseAstroResourceChanges(payload)).toEqual([]);
  });
});
