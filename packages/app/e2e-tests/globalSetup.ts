const BACKEND_HEALTH_URL = `${
  process.env.BACKEND_URL ?? 'http://localhost:7007'
}/api/astro/health`;
const TIMEOUT_MS = 300_000;

/** Waits until the portal's backend answers its health check. */
export default async function waitForBackend() {
  const deadline = Date.now() + TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(BACKEND_HEALTH_URL);
      if (response.ok) {
        return;
      }
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(
    `The backend did not become healthy at ${BACKEND_HEALTH_URL}: ${lastError}`,
  );
}
