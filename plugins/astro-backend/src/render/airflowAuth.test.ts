import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { renderDeployment } from './renderDeployment';
import { renderMatrix } from './__testUtils__/renderInputs';
import { NAMES } from './names';

/*
 * Item 5 of issue 12 and the portal sign-in wiring, over every case of
 * the golden matrix: the JWT signing key reaches exactly the containers
 * that sign or verify tokens, and the sign-in code only the UI component.
 */

function podSpecs(objects: KubernetesObject[]) {
  const specs: Array<{ owner: string; spec: V1PodSpec }> = [];
  for (const object of objects) {
    const o = object as any;
    const spec: V1PodSpec | undefined =
      o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    if (spec) {
      specs.push({ owner: `${object.kind}/${object.metadata.name}`, spec });
    }
  }
  for (const object of objects) {
    const template = (object.data as Record<string, string> | undefined)?.[
      'pod_template_file.yaml'
    ];
    if (object.kind === 'ConfigMap' && template) {
      // The task pods' template is YAML text: check it as text.
      expect(template).not.toContain('jwt-secret');
      expect(template).not.toContain(NAMES.portalAuthConfigMap);
    }
  }
  return specs;
}

const mentionsJwtSecret = (container: V1Container) =>
  (container.env ?? []).some(
    e => e.valueFrom?.secretKeyRef?.key === 'jwt-secret',
  );

describe.each(renderMatrix().map(c => [c.name, c.input] as const))(
  'Airflow sign-in wiring of %s',
  (_name, input) => {
    const objects = renderDeployment(input).objects.map(r => r.object);
    const airflow3 = input.runtime.airflowVersion.startsWith('3');
    const ui = airflow3 ? 'api-server' : 'webserver';

    it('gives the JWT secret only to the main container of the api-server and scheduler (webserver on Airflow 2)', () => {
      const holders: string[] = [];
      for (const { owner, spec } of podSpecs(objects)) {
        for (const container of [
          ...(spec.initContainers ?? []),
          ...spec.containers,
        ]) {
          if (mentionsJwtSecret(container)) {
            holders.push(`${owner}:${container.name}`);
          }
        }
      }
      expect(holders.sort()).toEqual(
        airflow3
          ? [
              'Deployment/api-server:api-server',
              'Deployment/scheduler:scheduler',
            ]
          : ['Deployment/webserver:webserver'],
      );
      const schedulerEnv = objects.find(
        o => o.kind === 'Deployment' && o.metadata.name === 'scheduler',
      ) as any;
      const names = schedulerEnv.spec.template.spec.containers[0].env.map(
        (e: { name: string }) => e.name,
      );
      expect(names.includes('AIRFLOW__API_AUTH__JWT_SECRET')).toBe(airflow3);
    });

    it('mounts the sign-in code and its settings in the UI component only', () => {
      const mounting = podSpecs(objects)
        .filter(({ spec }) =>
          (spec.volumes ?? []).some(
            v => v.configMap?.name === NAMES.portalAuthConfigMap,
          ),
        )
        .map(({ owner }) => owner);
      expect(mounting).toEqual([`Deployment/${ui}`]);
      const deployment = objects.find(
        o => o.kind === 'Deployment' && o.metadata.name === ui,
      ) as any;
      const container = deployment.spec.template.spec.containers[0];
      const env = Object.fromEntries(
        container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]),
      );
      expect(env.PYTHONPATH).toBe('/opt/astro/portal-auth');
      expect(env.AIRFLOW_PORTAL_DEPLOYMENT_URL).toBe(
        input.portal?.deploymentUrl,
      );
      expect(env).toMatchObject(
        airflow3
          ? {
              AIRFLOW__CORE__AUTH_MANAGER:
                'airflow_portal_auth.auth_manager.PortalAuthManager',
            }
          : {
              AIRFLOW__WEBSERVER__CONFIG_FILE:
                '/opt/astro/portal-auth/airflow_portal_auth/webserver_config.py',
              // The portal's tokens first, then the UI's own session.
              AIRFLOW__API__AUTH_BACKENDS:
                'airflow_portal_auth.api_auth_backend,airflow.api.auth.backend.session',
              AIRFLOW_PORTAL_JWT_SECRET: {
                secretKeyRef: { name: NAMES.keysSecret, key: 'jwt-secret' },
              },
            },
      );
      expect(
        container.volumeMounts.every((m: any) =>
          m.name === 'portal-auth' ? m.readOnly === true : true,
        ),
      ).toBe(true);
      const config = objects.find(
        o => o.kind === 'ConfigMap' && o.metadata.name === NAMES.configMap,
      )!.data as Record<string, string>;
      // Airflow 2 has no `[api_auth]`; its webserver reads the key itself.
      expect(config).toMatchObject(
        airflow3
          ? {
              AIRFLOW__API_AUTH__JWT_AUDIENCE: 'apache-airflow',
              AIRFLOW__API_AUTH__JWT_ISSUER: 'airflow-portal',
            }
          : {},
      );
    });
  },
);
