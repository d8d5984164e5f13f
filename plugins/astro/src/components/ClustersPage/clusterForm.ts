import type {
  Cluster,
  ClusterConnectionRequest,
  ClusterCreateRequest,
  ClusterUpdateRequest,
} from '@airflow-portal/plugin-astro-common';
import { fieldErrorsOf } from '../common/errors';

/** What the cluster form holds; the token is write-only. */
export interface ClusterFormValues {
  name: string;
  title: string;
  description: string;
  type: 'standard' | 'dedicated';
  organization: string;
  provider: string;
  region: string;
  server: string;
  token: string;
  caData: string;
  skipTLSVerify: boolean;
}

/** Messages by form field. */
export type ClusterFormErrors = Partial<
  Record<keyof ClusterFormValues, string>
>;

/** The input ids of the form's fields, in the form's order. */
export const CLUSTER_FIELD_IDS: Record<keyof ClusterFormValues, string> = {
  name: 'astro-cluster-name',
  title: 'astro-cluster-title',
  description: 'astro-cluster-description',
  type: 'astro-cluster-type',
  organization: 'astro-cluster-organization',
  provider: 'astro-cluster-provider',
  region: 'astro-cluster-region',
  server: 'astro-cluster-server',
  token: 'astro-cluster-token',
  caData: 'astro-cluster-ca',
  skipTLSVerify: 'astro-cluster-skip-tls',
};

const FIELD_ORDER = Object.keys(CLUSTER_FIELD_IDS) as Array<
  keyof ClusterFormValues
>;

/** An empty form for a new cluster. */
export function emptyClusterForm(): ClusterFormValues {
  return {
    name: '',
    title: '',
    description: '',
    type: 'standard',
    organization: '',
    provider: '',
    region: '',
    server: '',
    token: '',
    caData: '',
    skipTLSVerify: false,
  };
}

/**
 * The form of an existing cluster. Its connection is never sent back, so
 * the connection fields start empty: filled in, they replace it.
 */
export function clusterFormOf(cluster: Cluster): ClusterFormValues {
  return {
    ...emptyClusterForm(),
    name: cluster.name,
    title: cluster.title ?? '',
    description: cluster.description ?? '',
    type: cluster.type,
    organization: cluster.organization ?? '',
    provider: cluster.provider,
    region: cluster.region,
  };
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validServerUrl(server: string): boolean {
  try {
    const { protocol } = new URL(server);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** Whether the form says anything about the connection. */
function changesConnection(values: ClusterFormValues): boolean {
  return Boolean(
    values.server.trim() ||
      values.token ||
      values.caData.trim() ||
      values.skipTLSVerify,
  );
}

/**
 * Checks what the browser can check (the API checks everything again):
 * a new cluster needs all of its fields and a connection; an edit may
 * leave the connection alone, but one that is changed needs its server.
 */
export function validateClusterForm(
  values: ClusterFormValues,
  mode: 'create' | 'edit',
): ClusterFormErrors {
  const errors: ClusterFormErrors = {};
  if (mode === 'create') {
    if (!values.name) {
      errors.name = 'Required';
    } else if (!NAME.test(values.name) || values.name.length > 63) {
      errors.name =
        'Lowercase letters, digits and dashes; starts and ends with a letter or digit; at most 63';
    }
    if (values.type === 'dedicated' && !values.organization) {
      errors.organization = 'A dedicated cluster belongs to an organization';
    }
    if (!values.provider.trim()) {
      errors.provider = 'Required';
    }
    if (!values.region.trim()) {
      errors.region = 'Required';
    }
  }
  if (mode === 'create' || changesConnection(values)) {
    if (!values.server.trim()) {
      errors.server = 'Required';
    } else if (!validServerUrl(values.server.trim())) {
      errors.server = 'An http(s) URL, e.g. https://10.0.0.1:6443';
    }
    if (!values.token) {
      errors.token =
        mode === 'create'
          ? 'Required'
          : 'A changed connection needs its token again';
    }
  }
  return errors;
}

function connectionOf(values: ClusterFormValues): ClusterConnectionRequest {
  return {
    server: values.server.trim(),
    token: values.token,
    ...(values.caData.trim() ? { caData: values.caData.trim() } : {}),
    ...(values.skipTLSVerify ? { skipTLSVerify: true } : {}),
  };
}

/** The body of `POST /clusters`. */
export function createBodyOf(values: ClusterFormValues): ClusterCreateRequest {
  return {
    name: values.name,
    ...(values.title.trim() ? { title: values.title.trim() } : {}),
    ...(values.description.trim()
      ? { description: values.description.trim() }
      : {}),
    type: values.type,
    ...(values.type === 'dedicated'
      ? { organization: values.organization }
      : {}),
    provider: values.provider.trim(),
    region: values.region.trim(),
    connection: connectionOf(values),
  };
}

/** The body of `PATCH /clusters/{cluster}`: the connection only when changed. */
export function updateBodyOf(
  values: ClusterFormValues,
  version: number,
): ClusterUpdateRequest {
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    ...(changesConnection(values) ? { connection: connectionOf(values) } : {}),
    version,
  };
}

/**
 * The API's field messages (`connection.server: must be …; name: …`) on
 * the form's fields; messages of other fields are left to the alert.
 */
export function serverErrorsOf(message: string): ClusterFormErrors {
  const errors: ClusterFormErrors = {};
  for (const [path, text] of Object.entries(fieldErrorsOf(message))) {
    const field = path.replace(/^connection\./, '');
    if (field in CLUSTER_FIELD_IDS) {
      errors[field as keyof ClusterFormValues] = text;
    }
  }
  return errors;
}

/** The first field with an error, in the form's order. */
export function firstInvalidField(
  errors: ClusterFormErrors,
): keyof ClusterFormValues | undefined {
  return FIELD_ORDER.find(field => errors[field]);
}
