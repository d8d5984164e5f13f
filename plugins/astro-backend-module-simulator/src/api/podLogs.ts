/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log` (`kubectl logs`): no
 * container runs in the simulator, so the log is made up from what it knows
 * about the container, and every line says it is simulated.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { arr, at, isRecord, num, str } from '../store/objects';
import { queryBool } from '../server/queryParams';
import { statusErrors } from './status';

const PREFIX = '[simulated]';

function containerNames(pod: KubernetesObject): string[] {
  return [
    ...arr(at(pod, 'spec', 'initContainers')),
    ...arr(at(pod, 'spec', 'containers')),
  ]
    .filter(isRecord)
    .map(container => str(container.name) ?? '');
}

function statusOf(pod: KubernetesObject, container: string) {
  return [
    ...arr(at(pod, 'status', 'initContainerStatuses')),
    ...arr(at(pod, 'status', 'containerStatuses')),
  ]
    .filter(isRecord)
    .find(status => status.name === container);
}

/**
 * The simulated log of a pod's container; `400 BadRequest` with a real
 * server's wording for a pod with several containers and none named, an
 * unknown container, or one that has not started.
 */
export function simulatedPodLog(
  pod: KubernetesObject,
  query: URLSearchParams,
  now = new Date(),
): string {
  const podName = pod.metadata.name;
  const names = containerNames(pod);
  const regular = arr(at(pod, 'spec', 'containers')).filter(isRecord);
  let container = query.get('container') ?? undefined;
  if (!container) {
    if (regular.length !== 1) {
      throw statusErrors.badRequest(
        `a container name must be specified for pod ${podName}, choose one of: [${regular
          .map(c => str(c.name) ?? '')
          .join(' ')}]`,
      );
    }
    container = str(regular[0].name) ?? '';
  }
  if (!names.includes(container)) {
    throw statusErrors.badRequest(
      `container ${container} is not valid for pod ${podName}`,
    );
  }
  const status = statusOf(pod, container);
  const waiting = str(at(status, 'state', 'waiting', 'reason'));
  const started =
    str(at(status, 'state', 'running', 'startedAt')) ??
    str(at(status, 'state', 'terminated', 'startedAt'));
  if (
    !started &&
    (waiting === undefined ||
      waiting === 'ContainerCreating' ||
      waiting === 'PodInitializing')
  ) {
    throw statusErrors.badRequest(
      `container "${container}" in pod "${podName}" is waiting to start: ${
        waiting ?? 'ContainerCreating'
      }`,
    );
  }
  const image =
    str(
      [
        ...arr(at(pod, 'spec', 'initContainers')),
        ...arr(at(pod, 'spec', 'containers')),
      ]
        .filter(isRecord)
        .find(c => c.name === container)?.image,
    ) ?? '';
  const restarts = num(status?.restartCount) ?? 0;
  if (queryBool(query, 'previous') && restarts === 0) {
    throw statusErrors.badRequest(
      `previous terminated container "${container}" in pod "${podName}" not found`,
    );
  }
  const time = started ?? now.toISOString();
  const lines: Array<[string, string]> = [
    [
      time,
      `${PREFIX} No container runs in the Kubernetes simulator: this log is made up.`,
    ],
    [
      time,
      `${PREFIX} container ${container} (image ${image}) of pod ${pod.metadata.namespace}/${podName} started`,
    ],
  ];
  if (restarts > 0) {
    lines.push([
      time,
      `${PREFIX} restarted ${restarts} time(s); the simulator made it crash`,
    ]);
  }
  const terminated = at(status, 'state', 'terminated');
  if (isRecord(terminated)) {
    lines.push([
      str(terminated.finishedAt) ?? time,
      `${PREFIX} exited with code ${num(terminated.exitCode) ?? 0} (${
        str(terminated.reason) ?? 'Completed'
      })`,
    ]);
  } else if (waiting) {
    lines.push([time, `${PREFIX} ${waiting}`]);
  } else {
    lines.push([time, `${PREFIX} running`]);
  }
  const tail = Number(query.get('tailLines') ?? '');
  const selected =
    Number.isInteger(tail) && tail >= 0 && query.get('tailLines') !== null
      ? lines.slice(Math.max(0, lines.length - tail))
      : lines;
  const timestamps = queryBool(query, 'timestamps');
  return selected
    .map(([at_, text]) => (timestamps ? `${at_} ${text}` : text))
    .map(line => `${line}\n`)
    .join('');
}
