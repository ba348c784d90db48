import { createServer } from 'node:net';
import { bearer, credentials, send, startSandbox } from './fixtures';

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('sandbox providers: starting', () => {
  it('starts the four sandboxes on free loopback ports', async () => {
    const sandbox = await startSandbox();
    try {
      expect(sandbox.all().map((p) => p.name)).toEqual(['payment', 'email', 'crm', 'analytics']);
      const urls = sandbox.all().map((p) => p.url);
      for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new Set(urls).size).toBe(4);
    } finally {
      await sandbox.stop();
    }
  });

  it('listens on the ports it is given', async () => {
    const port = await freePort();
    const sandbox = await startSandbox({ ports: { crm: port, payment: 0 } });
    try {
      expect(sandbox.crm.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await sandbox.stop();
    }
  });

  it('refuses a host that is not loopback', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('refuses a webhook URL that is not on loopback', async () => {
    await expect(
      startSandbox({ webhooks: { payment: { url: 'https://example.com/hooks', secret: 's' } } }),
    ).rejects.toThrow(/loopback/);
  });

  it('refuses empty credentials', async () => {
    await expect(startSandbox({ credentials: { ...credentials, crm: '' } })).rejects.toThrow(/crm/);
  });

  it('fails, and frees the other ports, when a port is taken', async () => {
    const first = await startSandbox();
    const taken = Number(new URL(first.email.url).port);
    try {
      await expect(startSandbox({ ports: { email: taken } })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });
});

describe('sandbox providers: stopping', () => {
  it('closes hung sockets promptly and records them as timeouts', async () => {
    const sandbox = await startSandbox();
    sandbox.payment.setFaults({ timeoutRate: 1 });
    const hung = fetch(`${sandbox.payment.url}/v1/charges/ch_x`, { headers: bearer(credentials.payment) });
    const outcome = hung.then(
      () => 'answered',
      () => 'failed',
    );
    // Give the request time to reach the server, which records nothing until the socket closes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sandbox.payment.calls()).toHaveLength(0);
    const started = performance.now();
    await sandbox.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe('failed');
    expect(sandbox.payment.calls()).toEqual([
      expect.objectContaining({ status: 'timeout', fault: 'timeout' }),
    ]);
  });

  it('stops twice without complaint and refuses connections afterwards', async () => {
    const sandbox = await startSandbox();
    const url = sandbox.crm.url;
    await sandbox.stop();
    await sandbox.stop();
    await expect(send(`${url}/_sandbox/calls`, 'GET')).rejects.toThrow();
  });
});
