import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(120_000);

describe('kubectl logs (simulated)', () => {
  let harness: CompatHarness;

  beforeAll(async () => {
    harness = await startCompatHarness();
    await harness.kubectl([
      'apply',
      '-f',
      await harness.file(
        'pods.yaml',
        `apiVersion: v1
kind: Pod
metadata: { name: single }
spec:
  containers: [{ name: main, image: busybox:1.36 }]
---
apiVersion: v1
kind: Pod
metadata: { name: pair }
spec:
  containers:
    - { name: app, image: nginx:1.27 }
    - { name: sidecar, image: busybox:1.36 }
`,
      ),
    ]);
    await harness.kubectl([
      'wait',
      '--for=condition=Ready',
      'pod/single',
      'pod/pair',
      '--timeout=30s',
    ]);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('prints a log that says it is simulated', async () => {
    const log = await harness.kubectl(['logs', 'single']);
    const lines = log.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every(line => line.startsWith('[simulated]'))).toBe(true);
    expect(log).toMatch(
      /container main \(image busybox:1\.36\) of pod default\/single started/,
    );
    expect(await harness.kubectl(['logs', 'single', '--tail=1'])).toBe(
      '[simulated] running\n',
    );
    expect(
      await harness.kubectl(['logs', 'single', '--timestamps', '--tail=1']),
    ).toMatch(/^\d{4}-\d\d-\d\dT\S+ \[simulated\] running\n$/);
  });

  it("picks a container like kubectl and answers a real server's errors", async () => {
    expect(await harness.kubectl(['logs', 'pair', '-c', 'sidecar'])).toMatch(
      /container sidecar/,
    );
    // kubectl defaults to the first container and says so.
    const first = await harness.run('kubectl', ['logs', 'pair']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/container app/);
    const unknown = await harness.run('kubectl', [
      'logs',
      'pair',
      '-c',
      'nope',
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/container nope is not valid for pod pair/);
    const previous = await harness.run('kubectl', [
      'logs',
      'single',
      '--previous',
    ]);
    expect(previous.stderr).toMatch(
      /previous terminated container "main" in pod "single" not found/,
    );
    const missing = await harness.run('kubectl', ['logs', 'nothing']);
    expect(missing.stderr).toMatch(/pods "nothing" not found/);
  });
});
