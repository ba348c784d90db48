import { existsSync } from 'node:fs';
import { FixtureStack } from '../../fixtures/local-cloud/fixture-stack';
import { startTestCloud } from '../../support/local-cloud';

// What a local cloud leaves behind once stopped: nothing of its own making.
describe('LocalCloud lifecycle', () => {
  it('removes the assembly it synthesized into a directory of its own when it stops', async () => {
    const cloud = await startTestCloud({ build: (app) => new FixtureStack(app, 'Fixture') });
    const { assemblyDir } = cloud.started;
    expect(existsSync(assemblyDir)).toBe(true);
    await cloud.stop();
    expect(existsSync(assemblyDir)).toBe(false);
  }, 120_000);

  it('exports the sandbox URLs with the walkthrough variables, to switch their faults from a shell', async () => {
    const cloud = await startTestCloud({ build: (app) => new FixtureStack(app, 'Fixture') });
    try {
      const exports = cloud.environmentExports();
      expect(exports).toContain(`export PAYMENT_SANDBOX_URL='${cloud.started.providers.payment.url}'`);
      expect(exports).toContain(`export EMAIL_SANDBOX_URL='${cloud.started.providers.email.url}'`);
    } finally {
      await cloud.stop();
    }
  }, 120_000);
});
