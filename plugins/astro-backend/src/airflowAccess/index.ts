export {
  AirflowAccessService,
  airflowApiPath,
  JWT_SECRET_CREDENTIAL,
} from './AirflowAccessService';
export type { AirflowSession, AirflowToken } from './AirflowAccessService';
export { AirflowServiceCredentials } from './AirflowServiceCredentials';
export { signAirflowToken } from './signAirflowToken';
export type {
  AirflowTokenKind,
  AirflowTokenSubject,
  SignedAirflowToken,
} from './signAirflowToken';
