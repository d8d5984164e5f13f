import { AuthenticationError, NotFoundError } from '@backstage/errors';
import { DagBundleStore } from '@airflow-portal/plugin-astro-node';
import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import { AstroDatabase } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { constantTimeEquals } from '../tokens/tokenValues';

/** What the DAG sync asks for: the bundle its components should serve. */
export type BundleRef = AstroApiSchemas['BundleRef'];

/** What a pod reports. */
export type BundleReportRequest = AstroApiSchemas['BundleReport'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The DAG sync's side of the backend: tells a Deployment's components
 * which bundle to serve, hands out its bytes and records what each pod
 * reports. Every call is authenticated with the Deployment's bundle token;
 * a wrong token, an unknown Deployment and a Deployment without a token
 * look the same (401), so the endpoints never tell whether a Deployment
 * exists.
 */
export class BundleService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly secrets: SecretBox,
    private readonly bundles: DagBundleStore,
    private readonly onReport: (deploymentId: string) => void = () => {},
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Throws AuthenticationError unless `bearer` is the Deployment's bundle token. */
  async authenticate(
    deploymentId: string,
    bearer: string | undefined,
  ): Promise<void> {
    const refuse = () =>
      new AuthenticationError(
        'A valid bundle token of this Deployment is required',
      );
    if (!bearer || !UUID.test(deploymentId)) {
      throw refuse();
    }
    const ciphertext = (
      await this.db.deployments.credentials(deploymentId)
    ).get('bundleToken');
    if (!ciphertext) {
      // Spend the same work as a comparison, unknown or not.
      constantTimeEquals(bearer, bearer);
      throw refuse();
    }
    if (!constantTimeEquals(bearer, this.secrets.decrypt(ciphertext))) {
      throw refuse();
    }
  }

  async current(deploymentId: string): Promise<BundleRef> {
    const { bundle } = await this.db.deploys.code(deploymentId);
    if (!bundle) {
      throw new NotFoundError('The Deployment has no DAG bundle yet');
    }
    return bundle;
  }

  async download(deploymentId: string, version: string): Promise<Buffer> {
    const bytes = (await this.db.deploys.isBundleOf(deploymentId, version))
      ? await this.bundles.get(version)
      : undefined;
    if (!bytes) {
      throw new NotFoundError(`The Deployment has no DAG bundle ${version}`);
    }
    return bytes;
  }

  async report(
    deploymentId: string,
    pod: string,
    report: BundleReportRequest,
  ): Promise<void> {
    await this.db.deploys.putReport(deploymentId, {
      pod,
      version: report.version,
      ...(report.error ? { error: report.error } : {}),
      reportedAt: this.clock(),
    });
    this.onReport(deploymentId);
  }
}
