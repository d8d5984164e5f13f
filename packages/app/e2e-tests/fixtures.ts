import { test as base, BrowserContext } from '@playwright/test';
import { describeProblems, watchConsole } from './console';

/** What the console guard offers a test. */
export interface ConsoleGuard {
  /**
   * Guards the pages of a context the test opened itself
   * (`browser.newContext()`); the default context is guarded already.
   */
  guard(context: BrowserContext): void;
}

/**
 * Playwright's `test` with a console guard on every page a test opens:
 * after the test, no page may have logged a warning or error from this
 * project's packages (see console.ts). Third-party problems are attached
 * to the test's annotations, not failed on. Import `test` and `expect`
 * from here, not from `@playwright/test`.
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
      guard(context);
      await use({ guard });
      const others = watchers.flatMap(w => w.others());
      if (others.length > 0) {
        testInfo.annotations.push({
          type: 'console problems of other packages',
          description: describeProblems(others).join('\n'),
        });
      }
      const ours = describeProblems(watchers.flatMap(w => w.ours()));
      if (ours.length > 0 && testInfo.status === testInfo.expectedStatus) {
        throw new Error(
          `The pages logged ${
            ours.length
          } console problem(s) from our packages:\n${ours.join('\n')}`,
        );
      }
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
export type { Page } from '@playwright/test';
