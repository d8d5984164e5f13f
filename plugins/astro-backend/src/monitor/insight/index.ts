export { AirflowInsightService } from './AirflowInsightService';
export { AirflowConnections } from './AirflowConnections';
export { InsightCache } from './InsightCache';
