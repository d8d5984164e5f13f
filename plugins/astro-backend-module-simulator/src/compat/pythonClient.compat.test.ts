import { execFile, spawnSync } from 'node:child_process';
import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(120_000);

/*
 * The official Python client (Debian's python3-kubernetes) against the
 * simulator's kubeconfig: it writes booleans in query strings as `True`.
 */
const PYTHON = ['/usr/bin/python3', 'python3'].find(
  candidate => spawnSync(candidate, ['-c', 'import kubernetes']).status === 0,
);
if (!PYTHON) {
  // eslint-disable-next-line no-console
  console.warn(
    'No python3 with the kubernetes client (Debian: python3-kubernetes): the Python client tests of the simulator are SKIPPED',
  );
}
const describeWithPython = PYTHON ? describe : describe.skip;

const SCRIPT = `
import json, sys
from kubernetes import client, config, watch
from kubernetes.dynamic import DynamicClient
from kubernetes.client.exceptions import ApiException

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
out = {"namespaces": sorted(n.metadata.name for n in v1.list_namespace().items)}

v1.create_namespaced_config_map("default", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "watched", "labels": {"from": "python"}}, "data": {"a": "1"}})
events = []
w = watch.Watch()
for event in w.stream(v1.list_namespaced_config_map, namespace="default", label_selector="from=python", timeout_seconds=5):
    events.append([event["type"], event["object"].metadata.name])
    w.stop()
out["watch"] = events

dynamic = DynamicClient(client.ApiClient())
configmaps = dynamic.resources.get(api_version="v1", kind="ConfigMap")
# Client 22.6 sends an apply body only when it is already serialized.
body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "owned", "namespace": "default"}, "data": {"mode": "python"}})
try:
    dynamic.server_side_apply(configmaps, body=body, name="owned", namespace="default", field_manager="python", force_conflicts=False)
    out["unforced"] = "applied"
except ApiException as error:
    out["unforced"] = error.status
applied = dynamic.server_side_apply(configmaps, body=body, name="owned", namespace="default", field_manager="python", force_conflicts=True)
out["forced"] = applied.data.mode
print(json.dumps(out))
`;

describeWithPython('the official Python client', () => {
  let harness: CompatHarness;

  beforeAll(async () => {
    harness = await startCompatHarness();
    // Another manager owns data.mode: applying a different value conflicts.
    await harness.simulator.control.applyObject(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'owned', namespace: 'default' },
        data: { mode: 'operator' },
      },
      { fieldManager: 'operator' },
    );
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('lists, watches with watch=True and forces an apply with force=True', async () => {
    // Asynchronously: the simulator answers from this very process.
    const run = await new Promise<{ stdout: string; stderr: string }>(
      resolve => {
        execFile(
          PYTHON!,
          ['-c', SCRIPT, harness.kubeconfigPath],
          {
            env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
            timeout: 60_000,
          },
          (_error, stdout, stderr) => resolve({ stdout, stderr }),
        );
      },
    );
    expect(run.stderr).not.toMatch(/Traceback/);
    const out = JSON.parse(run.stdout);
    expect(out.namespaces).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
    expect(out.watch).toEqual([['ADDED', 'watched']]);
    expect(out.unforced).toBe(409);
    expect(out.forced).toBe('python');
  });
});
