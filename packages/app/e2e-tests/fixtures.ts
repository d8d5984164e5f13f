import { test as base, BrowserContext } from '@playwright/test';
import {
  DeclaredFailure,
  describeFailedRequests,
  describeProblems,
  ExpectedFailure,
  isExpectedFailure,
  watchConsole,
} from './console';

/** What the console guard offers a test. */
export interface ConsoleGuard {
  /**
   * Guards the pages of a context the test opened itself
   * (`browser.newContext()`); the default context is guarded already.
   */
  guard(context: BrowserContext): void;
  /**
   * Declares Astro API requests this test makes fail on purpose from now
   * on, each by method, path below `/api/astro` and status:
   * `expectFailedRequests({ method: 'POST', path: '/organizations/demo/deployments', status: 409 })`.
   * Any other response of `/api/astro/` with a status of 400 or more
   * fails the test.
   */
  expectFailedRequests(...failures: ExpectedFailure[]): void;
}

/**
 * Playwright's `test` with a console guard on every page a test opens:
 * after the test, no page may have logged a warning or error from this
 * project's packages, nor had a request of the Astro API fail that the
 * test did not declare (see console.ts). Third-party problems and the
 * declared failures are attached to the test's annotations, not failed
 * on. Import `test` and `expect` from here, not from `@playwright/test`.
 */
export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ context }, use, testInfo) => {
      const watchers: ReturnType<typeof watchConsole>[] = [];
      const guarded = new Set<BrowserContext>();
      const guard = (ctx: BrowserContext) => {
        if (guarded.has(ctx)) {
          return;
        }
        guarded.add(ctx);
        ctx.pages().forEach(p => watchers.push(watchConsole(p)));
        ctx.on('page', p => watchers.push(watchConsole(p)));
      };
      const expected: DeclaredFailure[] = [];
      guard(context);
      await use({
        guard,
        expectFailedRequests: (...failures: ExpectedFailure[]) => {
          const since = Date.now();
          expected.push(...failures.map(f => ({ ...f, since })));
        },
      });
      const others = watchers.flatMap(w => w.others());
      if (others.length > 0) {
        testInfo.annotations.push({
          type: 'console problems of other packages',
          description: describeProblems(others).join('\n'),
        });
      }
      const failures = watchers.flatMap(w => w.failedRequests());
      const declared = failures.filter(f => isExpectedFailure(f, expected));
      if (declared.length > 0) {
        testInfo.annotations.push({
          type: 'failed requests the test provoked',
          description: describeFailedRequests(declared).join('\n'),
        });
      }
      const ours = [
        ...describeProblems(watchers.flatMap(w => w.ours())),
        ...describeFailedRequests(
          failures.filter(f => !isExpectedFailure(f, expected)),
        ),
      ];
      if (ours.length > 0 && testInfo.status === testInfo.expectedStatus) {
        throw new Error(
          `The pages logged ${
            ours.length
          } console problem(s) or unexpected failed request(s) from our packages:\n${ours.join(
            '\n',
          )}`,
        );
      }
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
export type { Page } from '@playwright/test';
