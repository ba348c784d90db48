import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { readAssembly, type StackArtifact } from '../../../../local/template/assembly';
import { synthesize } from '../../../../local/template/synth';

interface Seen {
  stage?: unknown;
  partitionLiterals?: unknown;
  assetMetadata?: unknown;
  extra?: unknown;
  outdir?: string;
}

/** A tiny stack (a queue and a function with a directory asset), recording the context it saw. */
function tinyBuild(codeDirectory: string, seen: Seen) {
  return (app: App): void => {
    seen.stage = app.node.tryGetContext('stage');
    seen.partitionLiterals = app.node.tryGetContext('@aws-cdk/core:enablePartitionLiterals');
    seen.assetMetadata = app.node.tryGetContext('aws:cdk:enable-asset-metadata');
    seen.extra = app.node.tryGetContext('extra');
    seen.outdir = app.outdir;
    const stack = new Stack(app, 'Tiny');
    new Queue(stack, 'Work');
    new LambdaFunction(stack, 'Worker', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromAsset(codeDirectory),
    });
  };
}

describe('synthesize with a custom build', () => {
  let root: string;
  let outdir: string;
  let otherOutdir: string;
  let returned: string;
  let otherReturned: string;
  let stack: StackArtifact | undefined;
  const seen: Seen = {};
  const seenWithContext: Seen = {};

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'junction-synth-'));
    const code = path.join(root, 'code');
    mkdirSync(code);
    writeFileSync(path.join(code, 'index.js'), 'exports.handler = async () => "tiny";\n');
    outdir = path.join(root, 'out');
    otherOutdir = path.join(root, 'out-qa');
    returned = synthesize({ outdir, build: tinyBuild(code, seen) });
    otherReturned = synthesize({
      outdir: otherOutdir,
      context: { stage: 'qa', extra: 'yes', 'aws:cdk:enable-asset-metadata': false },
      build: tinyBuild(code, seenWithContext),
    });
    [stack] = readAssembly(outdir);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('returns the directory it synthesized into', () => {
    expect(returned).toBe(outdir);
    expect(otherReturned).toBe(otherOutdir);
    expect(seen.outdir).toBe(outdir);
  });

  it('writes a cloud assembly there with the stack the build made', () => {
    expect(existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
    expect(readAssembly(outdir).map((artifact) => artifact.stackName)).toEqual(['Tiny']);
    const types = Object.values(stack?.template.Resources ?? {}).map((resource) => resource.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::SQS::Queue', 'AWS::Lambda::Function']));
  });

  it('hands the build an app with the context of cdk.json', () => {
    const cdkJson = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', '..', '..', 'cdk.json'), 'utf8'),
    ) as {
      context: Record<string, unknown>;
    };
    expect(seen.stage).toBe(cdkJson.context.stage);
    expect(seen.stage).toBe('dev');
    expect(seen.partitionLiterals).toBe(true);
    expect(seen.extra).toBeUndefined();
  });

  it('adds the context it is given on top of cdk.json, overriding what both set', () => {
    expect(seenWithContext.stage).toBe('qa');
    expect(seenWithContext.extra).toBe('yes');
    expect(seenWithContext.partitionLiterals).toBe(true);
    expect(seenWithContext.assetMetadata).toBe(false);
  });

  it('turns asset metadata on, so a function names the directory of its staged code', () => {
    expect(seen.assetMetadata).toBe(true);
    const [logicalId, fn] =
      Object.entries(stack?.template.Resources ?? {}).find(
        ([, resource]) => resource.Type === 'AWS::Lambda::Function',
      ) ?? [];
    expect(logicalId).toMatch(/^Worker/);
    const assetPath = fn?.Metadata?.['aws:asset:path'];
    expect(typeof assetPath).toBe('string');
    expect(existsSync(path.join(outdir, String(assetPath), 'index.js'))).toBe(true);
  });

  it('stages the function code where the asset manifest says, by S3 key', () => {
    const fn = Object.values(stack?.template.Resources ?? {}).find(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    const key = (fn?.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
    expect(typeof key).toBe('string');
    const staged = stack?.assetPaths.get(String(key));
    expect(staged).toBe(path.join(outdir, String(fn?.Metadata?.['aws:asset:path'])));
    expect(readFileSync(path.join(String(staged), 'index.js'), 'utf8')).toContain('"tiny"');
  });

  it('leaves asset metadata out when the given context turns it off', () => {
    const [qa] = readAssembly(otherOutdir);
    const fn = Object.values(qa?.template.Resources ?? {}).find(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(fn?.Metadata?.['aws:asset:path']).toBeUndefined();
    expect(qa?.assetPaths.size).toBeGreaterThan(0);
  });
});
