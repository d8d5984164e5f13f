/**
 * The Job controller: one pod per Job, which succeeds (or fails, when the
 * simulation was asked to fail the Job) once the kubelet has run it.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from '../api/resources';
import { at, clone, conditionOf, record, stringMap } from '../store/objects';
import {
  ControllerContext,
  controllerRef,
  isControlledBy,
  isPodReady,
  now,
  podPhase,
  randomSuffix,
  withCondition,
  writeStatus,
} from './context';
import { createPod } from './workloads';

const JOB = ResourceCatalog.kind('Job');
const POD = ResourceCatalog.kind('Pod');

/** The pod annotation that tells the simulated kubelet the exit code. */
export const EXIT_CODE_ANNOTATION = 'simulator.airflow-portal.dev/exit-code';

function isFinished(job: KubernetesObject): boolean {
  return ['Complete', 'Failed'].some(
    type => conditionOf(job, type)?.status === 'True',
  );
}

/** Reconciles a Job: its pod and, once the pod ended, its outcome. */
export function reconcileJob(
  context: ControllerContext,
  namespace: string,
  name: string,
): void {
  const job = context.store.get(JOB, namespace, name);
  if (!job || job.metadata.deletionTimestamp || isFinished(job)) {
    return;
  }
  const status = record(job.status);
  let pods = context.store
    .list(POD, { namespace })
    .filter(pod => isControlledBy(pod, job.metadata.uid));
  if (pods.length === 0) {
    const template = record(at(job, 'spec', 'template'));
    const component = stringMap(job.metadata.labels)[ASTRO_LABELS.component];
    const fail = context.state.takeJobFailure(namespace, component);
    const uid = String(job.metadata.uid);
    const pod: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-${randomSuffix()}`,
        namespace,
        labels: {
          ...stringMap(at(template, 'metadata', 'labels')),
          'job-name': name,
          'batch.kubernetes.io/job-name': name,
          'controller-uid': uid,
          'batch.kubernetes.io/controller-uid': uid,
        },
        annotations: {
          ...stringMap(at(template, 'metadata', 'annotations')),
          [EXIT_CODE_ANNOTATION]: fail ? '1' : '0',
        },
        ownerReferences: [controllerRef(job)],
      },
      spec: clone(record(template.spec)),
    };
    if (createPod(context, job, pod, 'job-controller')) {
      return;
    }
    pods = [pod];
  }
  const succeeded = pods.filter(pod => podPhase(pod) === 'Succeeded').length;
  const failed = pods.filter(pod => podPhase(pod) === 'Failed').length;
  const active = pods.length - succeeded - failed;
  const next: Record<string, unknown> = {
    ...status,
    startTime: status.startTime ?? now(),
    active,
    ready: pods.filter(isPodReady).length,
    succeeded,
    failed,
    terminating: 0,
  };
  if (succeeded > 0) {
    next.completionTime = now();
    next.conditions = withCondition(
      job,
      {
        type: 'Complete',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      },
      withCondition(job, {
        type: 'SuccessCriteriaMet',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      }),
    );
    context.events.normal(job, 'Completed', 'Job completed', 'job-controller');
  } else if (failed > 0) {
    next.conditions = withCondition(
      job,
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
      withCondition(job, {
        type: 'FailureTarget',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      }),
    );
    context.events.warning(
      job,
      'BackoffLimitExceeded',
      'Job has reached the specified backoff limit',
      'job-controller',
    );
  }
  writeStatus(context, JOB, job, next);
}
