import { StatusError } from '../api/status';
import {
  matchesMapSelector,
  matchesStructuredSelector,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'front', 'astro.dev/queue': 'default' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=web,tier=back', false],
    ['tier in (front, back)', true],
    ['tier notin (front)', false],
    ['missing notin (x)', true],
    ['astro.dev/queue', true],
    ['!astro.dev/queue', false],
    ['!missing,app in (web)', true],
  ])('evaluates %p to %p', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it.each(['app=(', 'a b c', 'tier in (a b)', '=x'])(
    'rejects the malformed selector %p with a 400 status',
    selector => {
      let error: unknown;
      try {
        parseLabelSelector(selector);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StatusError);
      expect(error).toMatchObject({ code: 400 });
    },
  );
});

describe('structured selectors', () => {
  it('matches matchLabels and matchExpressions', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front'] },
        { key: 'gone', operator: 'DoesNotExist' },
      ],
    };
    expect(
      matchesStructuredSelector(selector, { app: 'web', tier: 'front' }),
    ).toBe(true);
    expect(
      matchesStructuredSelector(selector, { app: 'web', tier: 'back' }),
    ).toBe(false);
    expect(matchesStructuredSelector(undefined, { app: 'web' })).toBe(false);
  });

  it('never lets an empty service selector match', () => {
    expect(matchesMapSelector({}, { app: 'web' })).toBe(false);
    expect(matchesMapSelector({ app: 'web' }, { app: 'web', x: 'y' })).toBe(
      true,
    );
  });
});
