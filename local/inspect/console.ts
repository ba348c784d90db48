import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AwsResponse, ServiceHandler } from '../services/aws-protocol';

// The console is three static files served from the project: no CDN, no build step.
const CONSOLE_DIR = path.join(__dirname, '..', 'console');
const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/_console': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/_console/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/_console/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/_console/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

/**
 * `GET /_console`: the local ops console, a page that shows what the CloudWatch dashboard would,
 * from the `/_local` inspection API, and redrives, replays faults and traces from there.
 */
export function consoleApi(): ServiceHandler {
  const read = new Map<string, string>();
  return async (request): Promise<AwsResponse> => {
    const entry = FILES[request.path];
    if (request.method !== 'GET' || !entry) {
      return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' };
    }
    return {
      status: 200,
      headers: { 'Content-Type': entry.type, 'Cache-Control': 'no-store' },
      body: cached(read, entry.file),
    };
  };
}

/** Each file is read once: the page polls the API, not these. */
function cached(read: Map<string, string>, file: string): string {
  let text = read.get(file);
  if (text === undefined) {
    text = readFileSync(path.join(CONSOLE_DIR, file), 'utf8');
    read.set(file, text);
  }
  return text;
}
