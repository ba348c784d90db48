import { consoleApi } from '../../../../local/inspect/console';
import { awsRequest } from '../../../fixtures/local-services/aws-request';

const serve = (method: string, path: string) => consoleApi()(awsRequest({ method, path }));

describe('consoleApi', () => {
  it('serves the page, its script and its style from the project, never cached', async () => {
    const page = await serve('GET', '/_console');
    expect(page).toMatchObject({
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    });
    expect(page.body).toContain('<script src="/_console/console.js"></script>');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect((await serve('GET', '/_console/console.js')).headers?.['Content-Type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await serve('GET', '/_console/console.css')).headers?.['Content-Type']).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('answers 404 for anything else, and for anything but GET', async () => {
    expect((await serve('GET', '/_console/../package.json')).status).toBe(404);
    expect((await serve('GET', '/_console/secret.txt')).status).toBe(404);
    expect((await serve('POST', '/_console')).status).toBe(404);
  });
});
