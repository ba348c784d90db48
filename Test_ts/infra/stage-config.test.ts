import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { resolveStageConfig, STAGE_NAMES } from '../../lib/config/stages';

describe('stage configuration', () => {
  it('knows dev and prod', () => {
    expect(STAGE_NAMES).toEqual(['dev', 'prod']);
  });

  it('defaults to dev when no stage is given', () => {
    expect(resolveStageConfig(undefined).name).toBe('dev');
  });

  it('keeps prod data and logs longer than dev', () => {
    const dev = resolveStageConfig('dev');
    const prod = resolveStageConfig('prod');
    expect(prod.removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(dev.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(prod.logRetention).toBe(RetentionDays.THREE_MONTHS);
    expect(prod.archiveRetentionDays).toBeGreaterThan(dev.archiveRetentionDays);
  });

  it('gives every API client a rate, a burst and a quota', () => {
    for (const stage of STAGE_NAMES) {
      const clients = Object.values(resolveStageConfig(stage).api.clients);
      expect(clients.length).toBeGreaterThan(0);
      for (const client of clients) {
        expect(client.rateLimit).toBeGreaterThan(0);
        expect(client.burstLimit).toBeGreaterThanOrEqual(client.rateLimit);
        expect(client.quota.limit).toBeGreaterThan(0);
      }
    }
  });

  it('fails with the list of valid stages when the stage is unknown', () => {
    expect(() => resolveStageConfig('qa')).toThrow('Unknown stage "qa". Valid stages: dev, prod.');
  });

  it('fails when the stage is not a string', () => {
    expect(() => resolveStageConfig(42)).toThrow('Unknown stage "42". Valid stages: dev, prod.');
  });
});
