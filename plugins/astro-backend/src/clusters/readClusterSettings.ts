import { Config } from '@backstage/config';
import {
  AirflowGatewaySettings,
  AirflowIngressSettings,
  KedaLocation,
  RemoteLoggingSettings,
} from '@airflow-portal/plugin-astro-node';
import {
  describeInvalidHost,
  describeInvalidPath,
  fillHostTemplate,
} from '../render/exposure';

/*
 * The per-cluster settings of how Deployments are reached (`airflowIngress`
 * or `airflowGateway`), where their task logs go (`remoteLogging`) and where
 * KEDA runs (`keda`), read from one `astro.clusters[]` entry and validated
 * at startup; every error names the cluster and the key.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const PLACEHOLDERS = /\{(organization|workspace|deployment|namespace)\}/g;

const SHORTEST_NAMES = {
  organization: 'o',
  workspace: 'w',
  name: 'd',
  namespace: 'n',
};

class ClusterSettingError extends Error {
  constructor(cluster: string, key: string, problem: string) {
    super(`Cluster "${cluster}" in astro.clusters: ${key} ${problem}`);
  }
}

/**
 * A map of strings under `key` of `config`, read raw: label and annotation
 * keys hold `/`, which Backstage's config reader refuses in its key paths.
 */
function readStringMap(
  config: Config,
  key: string,
  fail: (key: string, problem: string) => never,
  at: string,
  rule: { keys: RegExp; values?: RegExp },
): Record<string, string> | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(at, 'must be a map of strings');
  }
  const map: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      fail(`${at}.${name}`, 'must be a string');
    }
    if (!rule.keys.test(name)) {
      fail(`${at}.${name}`, 'is not a valid label or annotation key');
    }
    if (rule.values && !rule.values.test(value as string)) {
      fail(`${at}.${name}`, `"${value}" is not a valid label value`);
    }
    map[name] = value as string;
  }
  return map;
}

function readHostTemplate(
  config: Config,
  key: string,
  fail: (key: string, problem: string) => never,
): string {
  const template = config.getString('hostTemplate');
  const unknown = template.replace(PLACEHOLDERS, '').match(/\{[^}]*\}/);
  if (unknown) {
    fail(
      `${key}.hostTemplate`,
      `has the unknown placeholder ${unknown[0]}; use {organization}, {workspace}, {deployment} or {namespace}`,
    );
  }
  const problem = describeInvalidHost(
    fillHostTemplate(template, SHORTEST_NAMES),
  );
  if (problem) {
    fail(`${key}.hostTemplate`, `"${template}" gives a host that ${problem}`);
  }
  // A mix of text and placeholders may still make a label too long for
  // some Deployment: the renderer reports that on the Deployment.
  return template;
}

function readPath(
  config: Config,
  key: string,
  fail: (key: string, problem: string) => never,
): string | undefined {
  const path = config.getOptionalString('path');
  const problem = path === undefined ? undefined : describeInvalidPath(path);
  if (problem) {
    fail(`${key}.path`, `"${path}" ${problem}`);
  }
  return path;
}

function readIngress(
  config: Config,
  fail: (key: string, problem: string) => never,
): AirflowIngressSettings {
  const key = 'airflowIngress';
  const className = config.getOptionalString('className');
  if (className !== undefined && !DNS_SUBDOMAIN.test(className)) {
    fail(`${key}.className`, `"${className}" is not a DNS-1123 subdomain`);
  }
  const tls = config.getOptionalConfig('tls');
  const secretName = tls?.getOptionalString('secretName');
  if (
    secretName !== undefined &&
    (!DNS_SUBDOMAIN.test(secretName) || secretName.length > 253)
  ) {
    fail(
      `${key}.tls.secretName`,
      `"${secretName}" is not a DNS-1123 subdomain`,
    );
  }
  const annotations = readStringMap(
    config,
    'annotations',
    fail,
    `${key}.annotations`,
    { keys: LABEL_KEY },
  );
  const path = readPath(config, key, fail);
  return {
    hostTemplate: readHostTemplate(config, key, fail),
    ...(className ? { className } : {}),
    ...(path ? { path } : {}),
    ...(annotations ? { annotations } : {}),
    ...(tls ? { tls: secretName ? { secretName } : {} } : {}),
  };
}

function readGateway(
  config: Config,
  fail: (key: string, problem: string) => never,
): AirflowGatewaySettings {
  const key = 'airflowGateway';
  const parentRefs = config.getConfigArray('parentRefs').map((ref, index) => {
    const at = `${key}.parentRefs[${index}]`;
    const name = ref.getString('name');
    const namespace = ref.getString('namespace');
    const sectionName = ref.getOptionalString('sectionName');
    if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
      fail(`${at}.name`, `"${name}" is not a DNS-1123 subdomain`);
    }
    if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
      fail(`${at}.namespace`, `"${namespace}" is not a DNS-1123 label`);
    }
    if (
      sectionName !== undefined &&
      (!DNS_SUBDOMAIN.test(sectionName) || sectionName.length > 253)
    ) {
      fail(`${at}.sectionName`, `"${sectionName}" is not a listener name`);
    }
    return { name, namespace, ...(sectionName ? { sectionName } : {}) };
  });
  if (parentRefs.length === 0) {
    fail(`${key}.parentRefs`, 'must name at least one Gateway');
  }
  const scheme = config.getOptionalString('scheme');
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    fail(`${key}.scheme`, 'must be "https" or "http"');
  }
  const annotations = readStringMap(
    config,
    'annotations',
    fail,
    `${key}.annotations`,
    { keys: LABEL_KEY },
  );
  const path = readPath(config, key, fail);
  return {
    parentRefs,
    hostTemplate: readHostTemplate(config, key, fail),
    ...(path ? { path } : {}),
    ...(annotations ? { annotations } : {}),
    ...(scheme ? { scheme: scheme as 'https' | 'http' } : {}),
  };
}

const FOLDER_PREFIX = { s3: 's3://', gcs: 'gs://', wasb: 'wasb' } as const;

function readRemoteLogging(
  config: Config,
  fail: (key: string, problem: string) => never,
): RemoteLoggingSettings {
  const key = 'remoteLogging';
  const type = config.getString('type');
  if (type === 's3' || type === 'gcs' || type === 'wasb') {
    const baseFolder = config.getString('baseFolder');
    const prefix = FOLDER_PREFIX[type];
    if (!baseFolder.startsWith(prefix) || baseFolder.length <= prefix.length) {
      fail(
        `${key}.baseFolder`,
        `"${baseFolder}" must start with "${prefix}" for type ${type}`,
      );
    }
    if (/[{}\s]/.test(baseFolder)) {
      fail(
        `${key}.baseFolder`,
        'may hold neither placeholders nor spaces: each Deployment writes below <baseFolder>/<namespace>',
      );
    }
    const connection = config.getOptionalConfig('connection');
    const uri = connection?.getOptionalString('uri');
    const id = connection?.getOptionalString('id');
    if (connection && (uri === undefined) === (id === undefined)) {
      fail(`${key}.connection`, 'needs exactly one of uri and id');
    }
    if (uri !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
      // The value is a credential: never echo it.
      fail(
        `${key}.connection.uri`,
        'is not a connection URI (<conn-type>://…)',
      );
    }
    if (id !== undefined && !/^[A-Za-z0-9_.-]+$/.test(id)) {
      fail(`${key}.connection.id`, `"${id}" is not a connection id`);
    }
    const wasbContainer = config.getOptionalString('wasbContainer');
    if (wasbContainer !== undefined && type !== 'wasb') {
      fail(`${key}.wasbContainer`, 'applies to type wasb only');
    }
    if (
      wasbContainer !== undefined &&
      !/^[a-z0-9](-?[a-z0-9])*$/.test(wasbContainer)
    ) {
      fail(
        `${key}.wasbContainer`,
        `"${wasbContainer}" is not an Azure container name`,
      );
    }
    return {
      type,
      baseFolder,
      ...(wasbContainer ? { wasbContainer } : {}),
      ...(uri ? { connection: { uri } } : {}),
      ...(id ? { connection: { id } } : {}),
    };
  }
  if (type === 'elasticsearch' || type === 'opensearch') {
    const host = config.getString('host');
    if (!/^https?:\/\/[^\s/]+/.test(host)) {
      // It may carry credentials: never echo it.
      fail(
        `${key}.host`,
        'must be an http(s) URL of the cluster, e.g. https://logs.example.com:9200',
      );
    }
    if (type === 'elasticsearch') {
      return { type, host };
    }
    const port = config.getNumber('port');
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(`${key}.port`, 'must be a TCP port');
    }
    const username = config.getOptionalString('username');
    const password = config.getOptionalString('password');
    return {
      type,
      host,
      port,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
    };
  }
  return fail(
    `${key}.type`,
    `"${type}" is not one of s3, gcs, wasb, elasticsearch, opensearch`,
  );
}

function readKeda(
  config: Config,
  fail: (key: string, problem: string) => never,
): KedaLocation {
  const namespace = config.getOptionalString('namespace') ?? 'keda';
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
    fail('keda.namespace', `"${namespace}" is not a DNS-1123 label`);
  }
  const labels = readStringMap(
    config,
    'operatorPodLabels',
    fail,
    'keda.operatorPodLabels',
    { keys: LABEL_KEY, values: LABEL_VALUE },
  ) ?? { 'app.kubernetes.io/name': 'keda-operator' };
  if (Object.keys(labels).length === 0) {
    fail(
      'keda.operatorPodLabels',
      'must select the operator with at least one label',
    );
  }
  return { namespace, operatorPodLabels: labels };
}

/** The settings of one cluster entry; throws an error naming the key. */
export function readClusterSettings(
  cluster: Config,
  name: string,
): {
  airflowIngress?: AirflowIngressSettings;
  airflowGateway?: AirflowGatewaySettings;
  remoteLogging?: RemoteLoggingSettings;
  keda?: KedaLocation;
} {
  const fail = (key: string, problem: string): never => {
    throw new ClusterSettingError(name, key, problem);
  };
  const ingress = cluster.getOptionalConfig('airflowIngress');
  const gateway = cluster.getOptionalConfig('airflowGateway');
  const routes = [
    ingress ? 'airflowIngress' : undefined,
    gateway ? 'airflowGateway' : undefined,
    cluster.has('airflowUrlTemplate') ? 'airflowUrlTemplate' : undefined,
  ].filter(Boolean);
  if (routes.length > 1) {
    fail(
      routes.join(' and '),
      'are exclusive: give airflowIngress or airflowGateway (the URL comes from their host), or airflowUrlTemplate for a cluster that routes by itself',
    );
  }
  const logging = cluster.getOptionalConfig('remoteLogging');
  const keda = cluster.getOptionalConfig('keda');
  return {
    ...(ingress ? { airflowIngress: readIngress(ingress, fail) } : {}),
    ...(gateway ? { airflowGateway: readGateway(gateway, fail) } : {}),
    ...(logging ? { remoteLogging: readRemoteLogging(logging, fail) } : {}),
    ...(keda ? { keda: readKeda(keda, fail) } : {}),
  };
}
