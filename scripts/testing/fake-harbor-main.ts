// Starts the fake Harbor in its own process (for trying the CLI by hand): prints its URL.
//   FAKE_HARBOR_PASSWORD=secret node scripts/testing/fake-harbor-main.ts [--anonymous-configurations] [--portal-unhealthy]
import { startFakeHarbor } from './fake-harbor.ts';

const harbor = await startFakeHarbor({
  password: process.env.FAKE_HARBOR_PASSWORD ?? 'fake-admin-password',
  anonymousConfigurations: process.argv.includes('--anonymous-configurations'),
  portalUnhealthy: process.argv.includes('--portal-unhealthy'),
  rejectAllCredentials: process.argv.includes('--reject-credentials'),
});
console.log(harbor.url);
