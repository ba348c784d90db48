import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

/**
 * Runs Biome's linter on `source` written to a probe file at `relativePath` (Biome's stdin mode
 * prints no diagnostics); returns the rules it broke.
 */
function lintFindings(relativePath: string, source: string): string[] {
  const file = path.join(root, relativePath.replace(/(\.test)?\.ts$/, `-${process.pid}$&`));
  writeFileSync(file, source);
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'biome'), ['lint', '--colors=off', file], {
      cwd: root,
      stdio: 'pipe',
    });
    return [];
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    return [...`${stdout}${stderr}`.matchAll(/lint\/suspicious\/(\w+)/g)].map((match) => match[1] ?? '');
  } finally {
    rmSync(file, { force: true });
  }
}

describe('toolchain', () => {
  it('type-checks strictly, with unchecked index access', () => {
    expect(readJson('tsconfig.json').compilerOptions).toMatchObject({
      strict: true,
      noUncheckedIndexedAccess: true,
    });
  });

  it('turns the CDK CLI notices and telemetry off', () => {
    expect(readJson('cdk.json')).toMatchObject({ notices: false, 'cli-telemetry': false });
  });

  it('runs type check, lint, house limits, the event schema check and jest in npm test, stopping at the first failure', () => {
    const { scripts } = readJson('package.json');
    expect(scripts.test).toBe(
      'npm run typecheck && npm run lint && npm run limits && npm run schemas -- check && npm run jest',
    );
    expect(scripts.limits).toContain('../shared/tools/limits.mjs');
  });

  it('forbids focused and skipped tests', () => {
    const findings = lintFindings(
      'Test_ts/unit/probe.test.ts',
      "it.only('a', () => {});\nit.skip('b', () => {});\n",
    );
    expect(findings).toEqual(['noFocusedTests', 'noSkippedTests']);
  });

  it('forbids console in handlers and the runtime library, not in tools', () => {
    const source = "export const handler = async () => {\n  console.log('x');\n};\n";
    expect(lintFindings('functions/api/probe.ts', source)).toEqual(['noConsole']);
    expect(lintFindings('utils/http/probe.ts', source)).toEqual(['noConsole']);
    expect(lintFindings('bin/probe.ts', source)).toEqual([]);
  });
});
