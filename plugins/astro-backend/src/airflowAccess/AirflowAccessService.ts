import { ConflictError } from '@backstage/errors';
import {
  AIRFLOW_ACCESS,
  AirflowRole,
  AstroApiSchemas,
} from '@airflow-portal/plugin-astro-common';
import {
  AstroDatabase,
  AstroStores,
  DeploymentRecord,
  DeploymentStore,
  NewEvent,
} from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { Actor, MutationRunner } from '../service';
import {
  AirflowTokenKind,
  SignedAirflowToken,
  signAirflowToken,
} from './signAirflowToken';

/** A login ticket for the Airflow UI, as the API answers it. */
export type AirflowSession = AstroApiSchemas['AirflowSession'];

/** An Airflow REST API token, as the API answers it. */
export type AirflowToken = AstroApiSchemas['AirflowToken'];

/** Name of the Deployment credential that is Airflow's `[api_auth] jwt_secret`. */
export const JWT_SECRET_CREDENTIAL = 'jwtSecret';

/** The base path of Airflow's stable REST API of a version. */
export function airflowApiPath(airflowVersion: string): string {
  return airflowVersion.startsWith('2.') ? '/api/v1' : '/api/v2';
}

/**
 * Signs the tokens that let people and the backend into a Deployment's
 * Airflow: login tickets and API tokens for portal users (each recorded
 * in the Deployment's event log without its value), and the backend's own
 * service credential. The key is the Deployment's `jwtSecret` credential,
 * which the rendered Airflow verifies with; nothing signed here is stored.
 */
export class AirflowAccessService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly secrets: SecretBox,
    private readonly mutations: MutationRunner,
  ) {}

  /** The Deployment's signing key (its decrypted `jwtSecret`). */
  async signingKey(
    deploymentId: string,
    stores: AstroStores = this.db,
  ): Promise<string> {
    const ciphertext = (await stores.deployments.credentials(deploymentId)).get(
      JWT_SECRET_CREDENTIAL,
    );
    if (!ciphertext) {
      throw new ConflictError(
        `Deployment ${deploymentId} has no ${JWT_SECRET_CREDENTIAL} credential to sign Airflow tokens with`,
      );
    }
    return this.secrets.decrypt(ciphertext);
  }

  /** A login ticket for a user and the URL that redeems it. */
  async createSession(
    actor: Actor,
    record: DeploymentRecord,
    role: AirflowRole,
  ): Promise<AirflowSession> {
    const airflowUrl = this.airflowUrlOf(record);
    const signed = await this.issue('ticket', actor, record, role);
    const loginUrl = new URL(`${airflowUrl}${AIRFLOW_ACCESS.loginPath}`);
    loginUrl.searchParams.set(AIRFLOW_ACCESS.ticketParameter, signed.value);
    return {
      loginUrl: loginUrl.toString(),
      airflowUrl,
      role,
      expiresAt: signed.expiresAt.toISOString(),
    };
  }

  /** An Airflow REST API token for a user. */
  async createToken(
    actor: Actor,
    record: DeploymentRecord,
    role: AirflowRole,
  ): Promise<AirflowToken> {
    const airflowUrl = this.airflowUrlOf(record);
    const signed = await this.issue('api', actor, record, role);
    const { airflowVersion } = DeploymentStore.settingsOf(record);
    return {
      token: signed.value,
      apiUrl: `${airflowUrl}${airflowApiPath(airflowVersion)}`,
      role,
      expiresAt: signed.expiresAt.toISOString(),
    };
  }

  /**
   * The backend's own credential at a Deployment's Airflow: an ADMIN API
   * token for {@link AIRFLOW_ACCESS.serviceSubject}, signed on demand and
   * never stored or logged.
   */
  async serviceToken(deploymentId: string): Promise<SignedAirflowToken> {
    return signAirflowToken('api', await this.signingKey(deploymentId), {
      subject: AIRFLOW_ACCESS.serviceSubject,
      role: 'ADMIN',
      deploymentId,
    });
  }

  private airflowUrlOf(record: DeploymentRecord): string {
    if (!record.airflow_url) {
      throw new ConflictError(
        `Deployment "${record.name}" has no Airflow URL yet: its cluster gives Deployments no address reachable from a browser (airflowUrlTemplate), or the Deployment has not been provisioned`,
      );
    }
    return record.airflow_url.replace(/\/+$/, '');
  }

  private issue(
    kind: AirflowTokenKind,
    actor: Actor,
    record: DeploymentRecord,
    role: AirflowRole,
  ): Promise<SignedAirflowToken> {
    return this.mutations.run(async (tx, now) => {
      const signed = await signAirflowToken(
        kind,
        await this.signingKey(record.id, tx),
        { subject: actor, role, deploymentId: record.id },
        now,
      );
      return {
        result: signed,
        events: [this.event(kind, actor, record, signed)],
        changes: [],
      };
    });
  }

  /** The issuance in the Deployment's history: who, what role, until when; never the value. */
  private event(
    kind: AirflowTokenKind,
    actor: Actor,
    record: DeploymentRecord,
    signed: SignedAirflowToken,
  ): NewEvent {
    const what =
      kind === 'ticket' ? 'Airflow login ticket' : 'Airflow API token';
    return {
      organization: record.organization_name,
      resourceType: 'deployment',
      resourceName: `${record.organization_name}/${record.name}`,
      deploymentId: record.id,
      action:
        kind === 'ticket' ? 'airflow-session-created' : 'airflow-token-created',
      actor,
      message: `${what} (${
        signed.claims.role
      }) issued to ${actor}, valid until ${signed.expiresAt.toISOString()}`,
      after: {
        role: signed.claims.role,
        subject: signed.claims.sub,
        jti: signed.claims.jti,
        expiresAt: signed.expiresAt.toISOString(),
      },
    };
  }
}
