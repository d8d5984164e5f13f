import { ClusterType } from './resources';
import {
  DeploymentSettingsInput,
  EnvironmentVariable,
} from '../settings/types';

/** @public */
export interface OrganizationCreateRequest {
  name: string;
  title?: string;
  description?: string;
}

/** @public */
export interface OrganizationUpdateRequest {
  title?: string;
  description?: string;
  /** The version you read; a stale one is rejected with 409. */
  version?: number;
}

/** @public */
export interface WorkspaceCreateRequest {
  name: string;
  title?: string;
  description?: string;
  owner?: string;
  clusterGrants?: string[];
}

/** @public */
export interface WorkspaceUpdateRequest {
  title?: string;
  description?: string;
  owner?: string | null;
  clusterGrants?: string[];
  version?: number;
}

/**
 * How to reach a cluster registered through the API. The token is
 * write-only.
 *
 * @public
 */
export interface ClusterConnectionRequest {
  server: string;
  token?: string;
  caData?: string;
  skipTLSVerify?: boolean;
}

/** @public */
export interface ClusterCreateRequest {
  name: string;
  title?: string;
  description?: string;
  type: ClusterType;
  organization?: string;
  provider: string;
  region: string;
  connection: ClusterConnectionRequest;
}

/** @public */
export interface ClusterUpdateRequest {
  title?: string;
  description?: string;
  connection?: ClusterConnectionRequest;
  version?: number;
}

/** @public */
export interface DeploymentCreateRequest {
  name: string;
  workspace: string;
  /** Defaults to the platform's default cluster. */
  cluster?: string;
  title?: string;
  description?: string;
  owner?: string;
  settings?: DeploymentSettingsInput;
}

/**
 * A change to a Deployment. `settings` fields replace the current ones
 * (lists as a whole); omitted fields keep their values.
 *
 * @public
 */
export interface DeploymentUpdateRequest {
  title?: string;
  description?: string;
  owner?: string | null;
  settings?: DeploymentSettingsInput;
  version?: number;
}

/**
 * The complete list of a Deployment's environment variables. A secret
 * variable without a value keeps its current value.
 *
 * @public
 */
export interface VariablesUpdateRequest {
  environmentVariables: Array<
    Pick<EnvironmentVariable, 'key' | 'value'> & { secret?: boolean }
  >;
  version?: number;
}
