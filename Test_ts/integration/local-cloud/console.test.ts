import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { LocalCloud } from '../../../local/cloud';
import { sampleJson } from '../../support/api-events';
import { clientConfig, startTestCloud } from '../../support/local-cloud';
import { postOrder } from '../../support/order-saga';

// The local ops console in a real headless browser (Debian's chromium, driven by playwright-core):
// it loads, shows an order posted to the API, and redrives a dead-lettered message from the page.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let cloud: LocalCloud;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does, or set CHROMIUM_PATH`,
    );
  }
  cloud = await startTestCloud();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('the local ops console', () => {
  it('loads from the local cloud with no request leaving it', async () => {
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(cloud.started.urls.aws)) outside.push(request.url());
    });
    const response = await page.goto(`${cloud.started.urls.aws}/_console`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('body[data-refreshed]');
    expect(await page.getAttribute('body', 'data-error')).toBe('');
    expect(await page.locator('#queues tbody tr').count()).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  }, 60_000);

  it('shows an order posted to the API: its event, its execution and its trace', async () => {
    const correlationId = `corr-${randomUUID()}`;
    const order = await postOrder(cloud, 'tok_visa', correlationId);
    await page.locator('#events', { hasText: order.orderId }).waitFor({ timeout: 30_000 });
    await page
      .locator('#events li', { hasText: `order.completed  ${order.orderId}` })
      .waitFor({ timeout: 60_000 });
    await page.locator('#executions tbody tr', { hasText: order.eventId }).waitFor({ timeout: 30_000 });
    expect(Number(await page.textContent('#api-count'))).toBeGreaterThanOrEqual(1);
    await page.fill('#trace-input', correlationId);
    await page.click('#trace-run');
    await page
      .locator('#timeline tbody tr', { hasText: 'Saga step succeeded' })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('#timeline tbody tr', { hasText: 'Request handled' }).count()).toBe(1);
    if (process.env.JUNCTION_CONSOLE_SCREENSHOT) {
      await page.screenshot({ path: process.env.JUNCTION_CONSOLE_SCREENSHOT, fullPage: true });
    }
  }, 120_000);

  it('redrives a dead-lettered message from the page, and the DLQ empties', async () => {
    const sample = sampleJson<{ detail: { data: Record<string, unknown> } }>(
      'eventbridge/order-created.json',
    );
    const dlq = cloud.started.topology.queues.find((queue) =>
      /^AnalyticsQueueDeadLetters/.test(queue.logicalId),
    );
    const sqs = new SQSClient(clientConfig(cloud));
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq?.url, MessageBody: JSON.stringify(sample) }));
    sqs.destroy();
    const row = page.locator('#queues tbody tr[data-queue="AnalyticsQueueDeadLetters"]');
    await row.locator('td:nth-child(2)', { hasText: /^1$/ }).waitFor({ timeout: 15_000 });
    await row.locator('button.peek').click();
    await page.locator('#peek', { hasText: 'order.created' }).waitFor();
    await row.locator('button.redrive').click();
    await page.locator('#peek', { hasText: 'Redrive started' }).waitFor();
    await row.locator('td:nth-child(2)', { hasText: /^0$/ }).waitFor({ timeout: 15_000 });
    await page
      .locator('#queues tbody tr[data-queue="AnalyticsQueueDeadLetters"] td:nth-child(3)', { hasText: /^0$/ })
      .waitFor({ timeout: 15_000 });
  }, 60_000);
});
