import express from 'express';
import Router from 'express-promise-router';
import { ClusterSource } from '@airflow-portal/plugin-astro-node';

/** Builds the HTTP router of the Astro backend. */
export async function createRouter(options: {
  clusterSources: ClusterSource[];
}): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/clusters', async (_req, res) => {
    const lists = await Promise.all(
      options.clusterSources.map(source => source.getClusters()),
    );
    res.json({ items: lists.flat() });
  });

  return router;
}
