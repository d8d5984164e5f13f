import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(120_000);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: reads
  labels: { app: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: reads }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: reads }
spec:
  serviceName: db
  replicas: 1
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: postgres, image: postgres:16 }]
`;

/** Splits `kubectl get` output into rows of cells. */
function rows(output: string): string[][] {
  return output
    .trim()
    .split('\n')
    .map(line => line.trim().split(/\s{2,}/));
}

describe('kubectl reads', () => {
  let harness: CompatHarness;

  beforeAll(async () => {
    harness = await startCompatHarness();
    await harness.kubectl(['create', 'namespace', 'reads']);
    await harness.kubectl([
      'apply',
      '--server-side',
      '--validate=false',
      '-f',
      await harness.file('reads.yaml', DEPLOYMENT),
    ]);
    await harness.kubectl([
      'rollout',
      'status',
      'deployment/web',
      '-n',
      'reads',
      '--timeout=30s',
    ]);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('prints the columns a real server prints', async () => {
    const deployments = rows(
      await harness.kubectl(['get', 'deployments', '-n', 'reads']),
    );
    expect(deployments[0]).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
    ]);
    expect(deployments[1].slice(0, 4)).toEqual(['web', '2/2', '2', '2']);
    expect(deployments[1][4]).toMatch(/^\d+s$/);

    const pods = rows(
      await harness.kubectl([
        'get',
        'pods',
        '-n',
        'reads',
        '-l',
        'app=web',
        '-o',
        'wide',
      ]),
    );
    expect(pods[0]).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    expect(pods).toHaveLength(3);
    expect(pods[1].slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    expect(pods[1][6]).toBe('simulator-node-1');

    const services = rows(await harness.kubectl(['get', 'svc', '-n', 'reads']));
    expect(services[0]).toEqual([
      'NAME',
      'TYPE',
      'CLUSTER-IP',
      'EXTERNAL-IP',
      'PORT(S)',
      'AGE',
    ]);
    expect(services[1].slice(0, 5)).toEqual([
      'web',
      'ClusterIP',
      expect.stringMatching(/^10\.96\./),
      '<none>',
      '80/TCP',
    ]);

    const namespaces = rows(await harness.kubectl(['get', 'ns', 'reads']));
    expect(namespaces[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(namespaces[1].slice(0, 2)).toEqual(['reads', 'Active']);

    const all = rows(await harness.kubectl(['get', 'serviceaccounts', '-A']));
    expect(all[0]).toEqual(['NAMESPACE', 'NAME', 'SECRETS', 'AGE']);
    expect(all.map(row => row.slice(0, 2))).toEqual(
      expect.arrayContaining([
        ['reads', 'default'],
        ['kube-system', 'default'],
      ]),
    );
  });

  it('prints JSON and YAML with the server defaults', async () => {
    const deployment = JSON.parse(
      await harness.kubectl([
        'get',
        'deployment',
        'web',
        '-n',
        'reads',
        '-o',
        'json',
      ]),
    );
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    const yaml = await harness.kubectl([
      'get',
      'sts',
      'db',
      '-n',
      'reads',
      '-o',
      'yaml',
    ]);
    expect(yaml).toMatch(
      /updateStrategy:\n\s+rollingUpdate:\n\s+partition: 0\n\s+type: RollingUpdate/,
    );
  });

  it('follows a StatefulSet rollout to the end', async () => {
    const out = await harness.kubectl([
      'rollout',
      'status',
      'sts/db',
      '-n',
      'reads',
      '--timeout=30s',
    ]);
    expect(out).toMatch(
      /partitioned roll out complete|rolling update complete/,
    );
  });

  it('describes a pod with its events and lists events for an object', async () => {
    const pod = (
      await harness.kubectl([
        'get',
        'pods',
        '-n',
        'reads',
        '-l',
        'app=db',
        '-o',
        'name',
      ])
    ).trim();
    const described = await harness.kubectl(['describe', '-n', 'reads', pod]);
    expect(described).toMatch(/Node:\s+simulator-node-1/);
    expect(described).toMatch(/Events:\n\s+Type\s+Reason/);
    expect(described).toMatch(/Normal\s+Scheduled/);
    const events = rows(
      await harness.kubectl(['events', '-n', 'reads', '--for', pod]),
    );
    expect(events[0]).toEqual([
      'LAST SEEN',
      'TYPE',
      'REASON',
      'OBJECT',
      'MESSAGE',
    ]);
    expect(
      events.slice(1).every(row => row[3] === pod.replace('pod/', 'Pod/')),
    ).toBe(true);
    expect(events.map(row => row[2])).toContain('Scheduled');
  });

  it('filters with field selectors like a real server', async () => {
    const names = async (args: string[]) =>
      (await harness.kubectl(['get', ...args, '-o', 'name']))
        .trim()
        .split('\n')
        .filter(Boolean);
    expect(
      await names([
        'pods',
        '-n',
        'reads',
        '--field-selector',
        'spec.nodeName=simulator-node-1',
      ]),
    ).toHaveLength(3);
    expect(
      await names([
        'pods',
        '-n',
        'reads',
        '--field-selector',
        'status.phase!=Running',
      ]),
    ).toEqual([]);
    expect(
      await names([
        'pods',
        '-A',
        '--field-selector',
        'metadata.namespace==reads,status.phase=Running',
      ]),
    ).toHaveLength(3);
    expect(
      await names([
        'events',
        '-n',
        'reads',
        '--field-selector',
        'involvedObject.kind=StatefulSet,reason=SuccessfulCreate',
      ]),
    ).not.toEqual([]);
    const unsupported = await harness.run('kubectl', [
      'get',
      'pods',
      '--field-selector',
      'spec.image=x',
    ]);
    expect(unsupported.code).not.toBe(0);
    expect(unsupported.stderr).toMatch(
      /field label not supported: spec\.image/,
    );
  });

  it('pages lists with --chunk-size', async () => {
    for (let i = 0; i < 7; i++) {
      await harness.kubectl([
        'create',
        'configmap',
        `page-${i}`,
        '-n',
        'reads',
      ]);
    }
    const listed = rows(
      await harness.kubectl([
        'get',
        'configmaps',
        '-n',
        'reads',
        '--chunk-size=3',
      ]),
    );
    expect(listed.slice(1).map(row => row[0])).toEqual([
      'page-0',
      'page-1',
      'page-2',
      'page-3',
      'page-4',
      'page-5',
      'page-6',
    ]);
    const page = JSON.parse(
      await harness.kubectl([
        'get',
        '--raw',
        '/api/v1/namespaces/reads/configmaps?limit=3',
      ]),
    );
    expect(page.items).toHaveLength(3);
    expect(page.metadata.remainingItemCount).toBe(4);
    const next = JSON.parse(
      await harness.kubectl([
        'get',
        '--raw',
        `/api/v1/namespaces/reads/configmaps?limit=3&continue=${page.metadata.continue}`,
      ]),
    );
    expect(next.items.map((item: any) => item.metadata.name)).toEqual([
      'page-3',
      'page-4',
      'page-5',
    ]);
  });
});
