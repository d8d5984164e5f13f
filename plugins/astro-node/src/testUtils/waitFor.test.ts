import { waitFor } from './waitFor';

describe('waitFor', () => {
  it('resolves with the first value that is neither undefined nor false', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        return calls < 3 ? false : `after ${calls}`;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('after 3');
  });

  it('keeps polling through errors and reports the last one on timeout', async () => {
    await expect(
      waitFor(
        async () => {
          throw new Error('not yet');
        },
        { timeoutMs: 50, intervalMs: 5, message: 'never ready' },
      ),
    ).rejects.toThrow('never ready: not yet');
  });
});
