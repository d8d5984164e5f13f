/**
 * Deployment, ReplicaSet and StatefulSet controllers: Deployments own a
 * ReplicaSet per pod template (named with its template hash), ReplicaSets
 * and StatefulSets own pods. Rollouts are immediate: a new template's
 * ReplicaSet is scaled to the full count and older ones to zero at once.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceCatalog } from '../api/resources';
import { StatusError } from '../api/status';
import {
  arr,
  at,
  clone,
  conditionOf,
  isRecord,
  JsonObject,
  num,
  record,
  str,
  stringMap,
} from '../store/objects';
import {
  CONTROLLER_MANAGER,
  ControllerContext,
  controllerRef,
  desiredReplicas,
  isControlledBy,
  isPodReady,
  randomSuffix,
  templateHash,
  withCondition,
  withoutCondition,
  writeStatus,
} from './context';

const DEPLOYMENT = ResourceCatalog.kind('Deployment');
const REPLICA_SET = ResourceCatalog.kind('ReplicaSet');
const STATEFUL_SET = ResourceCatalog.kind('StatefulSet');
const POD = ResourceCatalog.kind('Pod');
const PVC = ResourceCatalog.kind('PersistentVolumeClaim');

const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
/** Annotations of a Deployment its ReplicaSets do not get. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

function revisionOf(object: KubernetesObject): number {
  const revision = Number(stringMap(object.metadata.annotations)[REVISION]);
  return Number.isFinite(revision) ? revision : 0;
}

/** The Deployment's annotations a ReplicaSet of it carries (e.g. change-cause). */
function copiedAnnotations(
  deployment: KubernetesObject,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stringMap(deployment.metadata.annotations)).filter(
      ([key]) => !NOT_COPIED.has(key),
    ),
  );
}

function ownedPods(
  context: ControllerContext,
  owner: KubernetesObject,
): KubernetesObject[] {
  return context.store
    .list(POD, { namespace: owner.metadata.namespace })
    .filter(pod => isControlledBy(pod, owner.metadata.uid));
}

function podFromTemplate(
  owner: KubernetesObject,
  name: string,
  extraLabels: Record<string, string>,
): KubernetesObject {
  const template = record(at(owner, 'spec', 'template'));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: {
        ...stringMap(at(template, 'metadata', 'labels')),
        ...extraLabels,
      },
      annotations: stringMap(at(template, 'metadata', 'annotations')),
      ownerReferences: [controllerRef(owner)],
    },
    spec: clone(record(template.spec)),
  };
}

/**
 * Creates a pod for a controller; on an admission failure (such as an
 * exceeded quota) records a `FailedCreate` event and returns its message.
 */
export function createPod(
  context: ControllerContext,
  owner: KubernetesObject,
  pod: KubernetesObject,
  component: string,
): string | undefined {
  try {
    context.api.create(POD, pod.metadata.namespace, pod, {
      manager: CONTROLLER_MANAGER,
    });
    context.events.normal(
      owner,
      'SuccessfulCreate',
      `Created pod: ${pod.metadata.name}`,
      component,
    );
    return undefined;
  } catch (error) {
    if (error instanceof StatusError) {
      const message = `Error creating: ${error.message}`;
      context.events.warning(owner, 'FailedCreate', message, component);
      return message;
    }
    throw error;
  }
}

function deletePod(
  context: ControllerContext,
  owner: KubernetesObject,
  pod: KubernetesObject,
  component: string,
): void {
  context.api.deleteIfPresent(POD, pod);
  context.events.normal(
    owner,
    'SuccessfulDelete',
    `Deleted pod: ${pod.metadata.name}`,
    component,
  );
}

/** Reconciles a ReplicaSet: its pod count and status. */
export function reconcileReplicaSet(
  context: ControllerContext,
  namespace: string,
  name: string,
): void {
  const rs = context.store.get(REPLICA_SET, namespace, name);
  if (!rs || rs.metadata.deletionTimestamp) {
    return;
  }
  const desired = desiredReplicas(rs);
  let pods = ownedPods(context, rs);
  let failure: string | undefined;
  while (pods.length < desired && !failure) {
    const pod = podFromTemplate(rs, `${name}-${randomSuffix()}`, {});
    failure = createPod(context, rs, pod, 'replicaset-controller');
    if (!failure) {
      pods = ownedPods(context, rs);
    }
  }
  if (pods.length > desired) {
    const surplus = [...pods]
      .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)))
      .slice(0, pods.length - desired);
    for (const pod of surplus) {
      deletePod(context, rs, pod, 'replicaset-controller');
    }
    pods = ownedPods(context, rs);
  }
  const ready = pods.filter(isPodReady).length;
  const conditions = failure
    ? withCondition(rs, {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: failure,
      })
    : withoutCondition(rs, 'ReplicaFailure');
  writeStatus(context, REPLICA_SET, rs, {
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation,
    ...(conditions.length > 0 ? { conditions } : {}),
  });
}

/** Reconciles a Deployment: its ReplicaSets and its status. */
export function reconcileDeployment(
  context: ControllerContext,
  namespace: string,
  name: string,
): void {
  const deployment = context.store.get(DEPLOYMENT, namespace, name);
  if (!deployment || deployment.metadata.deletionTimestamp) {
    return;
  }
  const template = record(at(deployment, 'spec', 'template'));
  const hash = templateHash(template);
  const desired = desiredReplicas(deployment);
  const owned = () =>
    context.store
      .list(REPLICA_SET, { namespace })
      .filter(rs => isControlledBy(rs, deployment.metadata.uid));
  let replicaSets = owned();
  let current = replicaSets.find(rs => rs.metadata.name === `${name}-${hash}`);
  const latest = Math.max(0, ...replicaSets.map(revisionOf));
  if (current && revisionOf(current) < latest) {
    // Back to an older template (e.g. `kubectl rollout undo`): its
    // ReplicaSet becomes the newest revision again, remembering the old one.
    const annotations = stringMap(current.metadata.annotations);
    const history = [annotations[REVISION_HISTORY], annotations[REVISION]]
      .filter(Boolean)
      .join(',');
    current =
      context.api.controllerWrite(
        REPLICA_SET,
        {
          ...current,
          metadata: {
            ...current.metadata,
            annotations: {
              ...annotations,
              ...copiedAnnotations(deployment),
              [REVISION]: String(latest + 1),
              ...(history ? { [REVISION_HISTORY]: history } : {}),
            },
          },
        },
        CONTROLLER_MANAGER,
      ) ?? current;
    replicaSets = owned();
  }
  if (!current) {
    const revision = latest + 1;
    const labels = {
      ...stringMap(at(template, 'metadata', 'labels')),
      'pod-template-hash': hash,
    };
    current = context.api.create(
      REPLICA_SET,
      namespace,
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels,
          annotations: {
            ...copiedAnnotations(deployment),
            [REVISION]: String(revision),
            [DESIRED_REPLICAS]: String(desired),
          },
          ownerReferences: [controllerRef(deployment)],
        },
        spec: {
          replicas: desired,
          selector: {
            matchLabels: {
              ...stringMap(at(deployment, 'spec', 'selector', 'matchLabels')),
              'pod-template-hash': hash,
            },
          },
          template: {
            ...template,
            metadata: { ...record(template.metadata), labels },
          },
        },
      },
      { manager: CONTROLLER_MANAGER },
    );
    context.events.normal(
      deployment,
      'ScalingReplicaSet',
      `Scaled up replica set ${current.metadata.name} from 0 to ${desired}`,
      'deployment-controller',
    );
    replicaSets = owned();
  } else if (desiredReplicas(current) !== desired) {
    const from = desiredReplicas(current);
    context.api.controllerWrite(
      REPLICA_SET,
      { ...current, spec: { ...record(current.spec), replicas: desired } },
      CONTROLLER_MANAGER,
    );
    context.events.normal(
      deployment,
      'ScalingReplicaSet',
      `Scaled ${desired > from ? 'up' : 'down'} replica set ${
        current.metadata.name
      } from ${from} to ${desired}`,
      'deployment-controller',
    );
  }
  for (const old of replicaSets) {
    if (
      old.metadata.name !== current.metadata.name &&
      desiredReplicas(old) > 0
    ) {
      context.api.controllerWrite(
        REPLICA_SET,
        { ...old, spec: { ...record(old.spec), replicas: 0 } },
        CONTROLLER_MANAGER,
      );
      context.events.normal(
        deployment,
        'ScalingReplicaSet',
        `Scaled down replica set ${old.metadata.name} from ${desiredReplicas(
          old,
        )} to 0`,
        'deployment-controller',
      );
    }
  }
  const revision = String(revisionOf(current));
  if (stringMap(deployment.metadata.annotations)[REVISION] !== revision) {
    // The Deployment names its current revision, as the real controller does.
    context.api.controllerWrite(
      DEPLOYMENT,
      {
        ...deployment,
        metadata: {
          ...deployment.metadata,
          annotations: {
            ...stringMap(deployment.metadata.annotations),
            [REVISION]: revision,
          },
        },
      },
      CONTROLLER_MANAGER,
    );
  }
  const latestDeployment =
    context.store.get(DEPLOYMENT, namespace, name) ?? deployment;
  writeDeploymentStatus(context, latestDeployment, owned(), `${name}-${hash}`);
}

function writeDeploymentStatus(
  context: ControllerContext,
  deployment: KubernetesObject,
  replicaSets: KubernetesObject[],
  currentName: string,
): void {
  const desired = desiredReplicas(deployment);
  const sum = (field: string, sets = replicaSets) =>
    sets.reduce((total, rs) => total + (num(at(rs, 'status', field)) ?? 0), 0);
  const current = replicaSets.filter(rs => rs.metadata.name === currentName);
  const replicas = sum('replicas');
  const updated = sum('replicas', current);
  const ready = sum('readyReplicas');
  const available = sum('availableReplicas');
  const maxUnavailable = Math.floor(desired * 0.25);
  const minimumAvailable = available >= desired - maxUnavailable;
  const complete =
    updated === desired && replicas === desired && available === desired;
  let conditions = withCondition(deployment, {
    type: 'Available',
    status: minimumAvailable ? 'True' : 'False',
    reason: minimumAvailable
      ? 'MinimumReplicasAvailable'
      : 'MinimumReplicasUnavailable',
    message: minimumAvailable
      ? 'Deployment has minimum availability.'
      : 'Deployment does not have minimum availability.',
  });
  conditions = withCondition(
    deployment,
    {
      type: 'Progressing',
      status: 'True',
      reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
      message: complete
        ? `ReplicaSet "${currentName}" has successfully progressed.`
        : `ReplicaSet "${currentName}" is progressing.`,
    },
    conditions,
  );
  const failure = current
    .map(rs => conditionOf(rs, 'ReplicaFailure'))
    .find(condition => condition?.status === 'True');
  conditions = failure
    ? withCondition(
        deployment,
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: str(failure.reason) ?? 'FailedCreate',
          message: str(failure.message) ?? '',
        },
        conditions,
      )
    : withoutCondition(deployment, 'ReplicaFailure', conditions);
  const status: JsonObject = {
    observedGeneration: deployment.metadata.generation,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    conditions,
  };
  if (desired - available > 0) {
    status.unavailableReplicas = desired - available;
  }
  writeStatus(context, DEPLOYMENT, deployment, status);
}

/** Reconciles a StatefulSet: ordinal pods, their claims and the status. */
export function reconcileStatefulSet(
  context: ControllerContext,
  namespace: string,
  name: string,
): void {
  const sts = context.store.get(STATEFUL_SET, namespace, name);
  if (!sts || sts.metadata.deletionTimestamp) {
    return;
  }
  const desired = desiredReplicas(sts);
  const revision = `${name}-${templateHash(at(sts, 'spec', 'template'))}`;
  let failure: string | undefined;
  for (const pod of ownedPods(context, sts)) {
    const ordinal = Number(
      stringMap(pod.metadata.labels)['apps.kubernetes.io/pod-index'],
    );
    const outdated =
      stringMap(pod.metadata.labels)['controller-revision-hash'] !== revision;
    if (!(ordinal < desired) || outdated) {
      deletePod(context, sts, pod, 'statefulset-controller');
    }
  }
  for (let ordinal = 0; ordinal < desired && !failure; ordinal++) {
    const podName = `${name}-${ordinal}`;
    ensureClaims(context, sts, ordinal);
    if (!context.store.get(POD, namespace, podName)) {
      const pod = podFromTemplate(sts, podName, {
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': String(ordinal),
      });
      pod.spec = { ...record(pod.spec), hostname: podName };
      failure = createPod(context, sts, pod, 'statefulset-controller');
    }
  }
  const pods = ownedPods(context, sts);
  const ready = pods.filter(isPodReady).length;
  writeStatus(context, STATEFUL_SET, sts, {
    observedGeneration: sts.metadata.generation,
    replicas: pods.length,
    readyReplicas: ready,
    currentReplicas: pods.length,
    updatedReplicas: pods.length,
    availableReplicas: ready,
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: 0,
  });
}

function ensureClaims(
  context: ControllerContext,
  sts: KubernetesObject,
  ordinal: number,
): void {
  const namespace = sts.metadata.namespace;
  for (const template of arr(at(sts, 'spec', 'volumeClaimTemplates')).filter(
    isRecord,
  )) {
    const claimName = `${str(at(template, 'metadata', 'name')) ?? 'data'}-${
      sts.metadata.name
    }-${ordinal}`;
    if (context.store.get(PVC, namespace, claimName)) {
      continue;
    }
    try {
      const claim = context.api.create(
        PVC,
        namespace,
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: claimName,
            namespace,
            labels: stringMap(at(sts, 'spec', 'selector', 'matchLabels')),
          },
          spec: clone(record(template.spec)),
        },
        { manager: CONTROLLER_MANAGER },
      );
      writeStatus(context, PVC, claim, {
        phase: 'Bound',
        accessModes: arr(at(template, 'spec', 'accessModes')),
        capacity: stringMap(at(template, 'spec', 'resources', 'requests')),
      });
    } catch (error) {
      context.warn(`could not create claim ${claimName}`, error);
    }
  }
}
