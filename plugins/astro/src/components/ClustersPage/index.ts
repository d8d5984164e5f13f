export {
  ClustersPage,
  ClustersTable,
  CLUSTERS_DESCRIPTION,
} from './ClustersPage';
