import { Config } from '@backstage/config';

/** The module's settings, from `astro.simulator`. */
export interface SimulatorSettings {
  enabled: boolean;
  clusterName: string;
  title: string;
  host: string;
  port: number;
  token?: string;
  keda: boolean;
  podReadyDelayMs: number;
  dagSync: { enabled: boolean; minIntervalMs?: number; intervalMs?: number };
}

/** Reads `astro.simulator` with its defaults. */
export function readSimulatorConfig(config: Config): SimulatorSettings {
  const simulator = config.getOptionalConfig('astro.simulator');
  return {
    enabled: simulator?.getOptionalBoolean('enabled') ?? true,
    clusterName: simulator?.getOptionalString('clusterName') ?? 'simulator',
    title: simulator?.getOptionalString('title') ?? 'Built-in simulator',
    host: simulator?.getOptionalString('host') ?? '127.0.0.1',
    port: simulator?.getOptionalNumber('port') ?? 0,
    token: simulator?.getOptionalString('token'),
    keda: simulator?.getOptionalBoolean('keda') ?? true,
    podReadyDelayMs: simulator?.getOptionalNumber('podReadyDelayMs') ?? 2000,
    dagSync: {
      enabled: simulator?.getOptionalBoolean('dagSync.enabled') ?? true,
      minIntervalMs: simulator?.getOptionalNumber('dagSync.minIntervalMs'),
      intervalMs: simulator?.getOptionalNumber('dagSync.intervalMs'),
    },
  };
}
