// Node side (not type-checked: no @types/node). Starts the fake Stripe + email provider on the free port that
// vitest.config.ts picked and handed to the Worker as STRIPE_API_BASE / EMAIL_API_URL.
import { startFakeProvider } from './fake-provider.mjs';

export default async function setup() {
  const port = Number(process.env.FAKE_PROVIDER_PORT);
  const server = await startFakeProvider(port);
  return () => new Promise((resolve) => server.close(resolve));
}
