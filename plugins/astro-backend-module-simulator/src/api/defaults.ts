/**
 * The defaults a real API server fills in on write, for the fields the
 * engine, kubectl (`rollout status`, `describe`, `get` columns) and helm
 * read back.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { isRecord } from '../store/objects';

/** The simulated node every pod is scheduled on. */
export const SIMULATED_NODE_NAME = 'simulator-node-1';

/** Hands out service cluster IPs from 10.96.0.0/16. */
export class ClusterIpAllocator {
  private next = 10;

  allocate(): string {
    const value = this.next++;
    return `10.96.${Math.floor(value / 250) % 256}.${(value % 250) + 1}`;
  }
}

type Fields = Record<string, unknown>;

/** Sets the fields of `target` that are absent (not `null`) to `defaults`. */
function fill(target: Fields, defaults: Fields): void {
  for (const [key, value] of Object.entries(defaults)) {
    if (target[key] === undefined) {
      target[key] = value;
    }
  }
}

function child(target: Fields, key: string): Fields | undefined {
  const value = target[key];
  return isRecord(value) ? value : undefined;
}

function objects(value: unknown): Fields[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function imagePullPolicyOf(image: unknown): string {
  if (typeof image !== 'string') {
    return 'IfNotPresent';
  }
  const withoutDigest = image.split('@')[0];
  const lastPart = withoutDigest.split('/').pop() ?? '';
  const tag = lastPart.includes(':') ? lastPart.split(':').pop() : undefined;
  return image.includes('@') || (tag !== undefined && tag !== 'latest')
    ? 'IfNotPresent'
    : 'Always';
}

function defaultContainer(container: Fields): void {
  fill(container, {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: imagePullPolicyOf(container.image),
  });
  if (container.resources === undefined) {
    container.resources = {};
  }
  for (const port of objects(container.ports)) {
    fill(port, { protocol: 'TCP' });
  }
}

/** Defaults of a pod spec (also in templates). */
export function defaultPodSpec(spec: Fields): void {
  fill(spec, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  });
  for (const container of [
    ...objects(spec.containers),
    ...objects(spec.initContainers),
  ]) {
    defaultContainer(container);
  }
}

function defaultTemplate(spec: Fields | undefined): void {
  const template = spec ? child(spec, 'template') : undefined;
  const podSpec = template ? child(template, 'spec') : undefined;
  if (podSpec) {
    defaultPodSpec(podSpec);
  }
}

function defaultJobSpec(spec: Fields): void {
  fill(spec, {
    parallelism: 1,
    completions: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
    podReplacementPolicy: 'TerminatingOrFailed',
  });
  const template = child(spec, 'template');
  const podSpec = template ? child(template, 'spec') : undefined;
  if (podSpec) {
    // A Job's pods must say Never or OnFailure; validation reports a
    // missing one, so only the other pod defaults are filled in.
    const restartPolicy = podSpec.restartPolicy;
    defaultPodSpec(podSpec);
    podSpec.restartPolicy = restartPolicy;
    if (restartPolicy === undefined) {
      delete podSpec.restartPolicy;
    }
  }
}

const ROLLING_UPDATE_DEPLOYMENT = {
  type: 'RollingUpdate',
  rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
};

/** Fills in server-side defaults; returns the same object, changed in place. */
export function applyDefaults(
  object: KubernetesObject,
  ips: ClusterIpAllocator,
): KubernetesObject {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  switch (object.kind) {
    case 'Namespace':
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      object.spec = { finalizers: ['kubernetes'], ...spec };
      break;
    case 'Secret':
      object.type ??= 'Opaque';
      break;
    case 'Pod':
      if (spec) {
        defaultPodSpec(spec);
        // Scheduled at once onto the one simulated node.
        fill(spec, {
          nodeName: SIMULATED_NODE_NAME,
          serviceAccountName: 'default',
          enableServiceLinks: true,
          priority: 0,
        });
      }
      break;
    case 'Deployment':
      if (spec) {
        fill(spec, {
          replicas: 1,
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
        });
        fill(spec, { strategy: ROLLING_UPDATE_DEPLOYMENT });
        const strategy = child(spec, 'strategy');
        if (strategy?.type === 'RollingUpdate') {
          fill(strategy, {
            rollingUpdate: ROLLING_UPDATE_DEPLOYMENT.rollingUpdate,
          });
        }
        defaultTemplate(spec);
      }
      break;
    case 'StatefulSet':
      if (spec) {
        fill(spec, {
          replicas: 1,
          revisionHistoryLimit: 10,
          podManagementPolicy: 'OrderedReady',
          persistentVolumeClaimRetentionPolicy: {
            whenDeleted: 'Retain',
            whenScaled: 'Retain',
          },
          updateStrategy: {
            type: 'RollingUpdate',
            rollingUpdate: { partition: 0 },
          },
        });
        const strategy = child(spec, 'updateStrategy');
        if (strategy?.type === 'RollingUpdate') {
          fill(strategy, { rollingUpdate: { partition: 0 } });
        }
        defaultTemplate(spec);
      }
      break;
    case 'DaemonSet':
      if (spec) {
        fill(spec, {
          revisionHistoryLimit: 10,
          updateStrategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
          },
        });
        defaultTemplate(spec);
      }
      break;
    case 'ReplicaSet':
      if (spec) {
        fill(spec, { replicas: 1 });
        defaultTemplate(spec);
      }
      break;
    case 'Job':
      if (spec) {
        defaultJobSpec(spec);
      }
      break;
    case 'CronJob':
      if (spec) {
        fill(spec, {
          concurrencyPolicy: 'Allow',
          suspend: false,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 1,
        });
        const jobTemplate = child(spec, 'jobTemplate');
        const jobSpec = jobTemplate ? child(jobTemplate, 'spec') : undefined;
        if (jobSpec) {
          defaultJobSpec(jobSpec);
        }
      }
      break;
    case 'Service':
      if (spec) {
        spec.type ??= 'ClusterIP';
        if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
          const ip = ips.allocate();
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        }
        if (spec.type !== 'ExternalName') {
          fill(spec, {
            sessionAffinity: 'None',
            ipFamilies: ['IPv4'],
            ipFamilyPolicy: 'SingleStack',
            internalTrafficPolicy: 'Cluster',
          });
        }
        for (const port of objects(spec.ports)) {
          fill(port, { protocol: 'TCP', targetPort: port.port });
        }
      }
      break;
    default:
      break;
  }
  return object;
}
