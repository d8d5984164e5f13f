import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@backstage/config';

/** The module's settings, from `astro.simulator`. */
export interface SimulatorSettings {
  enabled: boolean;
  clusterName: string;
  title: string;
  host: string;
  port: number;
  token?: string;
  /** Files of a configured certificate; generated per start when absent. */
  tls?: { certFile: string; keyFile: string; caFile?: string };
  /** Where the kubeconfig of the simulator is written at start. */
  kubeconfigPath: string;
  keda: boolean;
  podReadyDelayMs: number;
  dagSync: { enabled: boolean; minIntervalMs?: number; intervalMs?: number };
}

/** Reads `astro.simulator` with its defaults. */
export function readSimulatorConfig(config: Config): SimulatorSettings {
  const simulator = config.getOptionalConfig('astro.simulator');
  const clusterName =
    simulator?.getOptionalString('clusterName') ?? 'simulator';
  const tls = simulator?.getOptionalConfig('tls');
  return {
    enabled: simulator?.getOptionalBoolean('enabled') ?? true,
    clusterName,
    title: simulator?.getOptionalString('title') ?? 'Built-in simulator',
    host: simulator?.getOptionalString('host') ?? '127.0.0.1',
    port: simulator?.getOptionalNumber('port') ?? 0,
    token: simulator?.getOptionalString('token'),
    tls: tls
      ? {
          certFile: tls.getString('certFile'),
          keyFile: tls.getString('keyFile'),
          caFile: tls.getOptionalString('caFile'),
        }
      : undefined,
    kubeconfigPath:
      simulator?.getOptionalString('kubeconfigPath') ??
      defaultKubeconfigPath(clusterName),
    keda: simulator?.getOptionalBoolean('keda') ?? true,
    podReadyDelayMs: simulator?.getOptionalNumber('podReadyDelayMs') ?? 2000,
    dagSync: {
      enabled: simulator?.getOptionalBoolean('dagSync.enabled') ?? true,
      minIntervalMs: simulator?.getOptionalNumber('dagSync.minIntervalMs'),
      intervalMs: simulator?.getOptionalNumber('dagSync.intervalMs'),
    },
  };
}

/**
 * `<tmpdir>/airflow-portal-simulator/<clusterName>.kubeconfig`, where the
 * module writes the simulator's kubeconfig unless configured otherwise.
 */
export function defaultKubeconfigPath(clusterName: string): string {
  return join(
    tmpdir(),
    'airflow-portal-simulator',
    `${clusterName}.kubeconfig`,
  );
}
