// biome-ignore-all lint/suspicious/noTemplateCurlyInString: asset manifests carry CloudFormation ${AWS::…} placeholders.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CfnTemplate, readAssembly } from '../../../../local/template/assembly';

const ORDERS_TEMPLATE: CfnTemplate = {
  Resources: {
    Handler: {
      Type: 'AWS::Lambda::Function',
      Properties: { Code: { S3Bucket: 'assets', S3Key: 'aaa111.zip' }, Handler: 'index.handler' },
      Metadata: { 'aws:asset:path': 'asset.aaa111' },
    },
  },
  Outputs: { Name: { Value: { Ref: 'Handler' }, Description: 'the handler' } },
};
const BILLING_TEMPLATE: CfnTemplate = { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } };

const DESTINATION = (objectKey: string, region = 'current_region') => ({
  bucketName: `cdk-hnb659fds-assets-\${AWS::AccountId}-${region}`,
  objectKey,
  assumeRoleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role',
});

const ORDERS_ASSETS = {
  version: '55.0.0',
  files: {
    aaa111: {
      displayName: 'Handler/Code',
      source: { path: 'asset.aaa111', packaging: 'zip' },
      destinations: { 'current_account-current_region': DESTINATION('aaa111.zip') },
    },
    bbb222: {
      source: { path: 'asset.bbb222.mjs', packaging: 'file' },
      destinations: {
        'current_account-us-east-1': DESTINATION('bbb222.mjs', 'us-east-1'),
        'current_account-eu-west-1': DESTINATION('bbb222-copy.mjs', 'eu-west-1'),
      },
    },
    template: {
      source: { path: 'Orders.template.json', packaging: 'file' },
      destinations: { 'current_account-current_region': DESTINATION('tmpl.json') },
    },
    generated: {
      source: { executable: ['node', 'make-asset.js'] },
      destinations: { 'current_account-current_region': DESTINATION('generated.zip') },
    },
  },
  dockerImages: {
    image: { source: { directory: 'asset.image' }, destinations: {} },
  },
};

const MANIFEST = {
  version: '55.0.0',
  artifacts: {
    'Orders.assets': { type: 'cdk:asset-manifest', properties: { file: 'Orders.assets.json' } },
    Orders: {
      type: 'aws:cloudformation:stack',
      environment: 'aws://unknown-account/unknown-region',
      properties: { templateFile: 'Orders.template.json' },
      dependencies: ['Orders.assets'],
    },
    Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
    Billing: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Billing.template.json' } },
    'Empty.assets': { type: 'cdk:asset-manifest', properties: { file: 'Empty.assets.json' } },
    Empty: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Empty.template.json' } },
  },
};

function writeJson(directory: string, file: string, value: unknown): void {
  writeFileSync(path.join(directory, file), JSON.stringify(value, null, 1));
}

/** A cloud assembly as `cdk synth` writes it, cut down to what the local cloud reads. */
function writeAssembly(directory: string): void {
  writeJson(directory, 'manifest.json', MANIFEST);
  writeJson(directory, 'Orders.template.json', ORDERS_TEMPLATE);
  writeJson(directory, 'Orders.assets.json', ORDERS_ASSETS);
  writeJson(directory, 'Billing.template.json', BILLING_TEMPLATE);
  writeJson(directory, 'Empty.template.json', { Resources: {} });
  writeJson(directory, 'Empty.assets.json', { version: '55.0.0' });
  writeJson(directory, 'tree.json', { version: 'tree-0.1', tree: { id: 'App', path: '' } });
  mkdirSync(path.join(directory, 'asset.aaa111'));
  writeFileSync(path.join(directory, 'asset.aaa111', 'index.mjs'), 'export const handler = () => 1;\n');
}

describe('readAssembly stacks and templates', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'junction-assembly-'));
    writeAssembly(directory);
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('reads every CloudFormation stack and nothing else, in manifest order', () => {
    expect(readAssembly(directory).map((stack) => stack.stackName)).toEqual(['Orders', 'Billing', 'Empty']);
  });

  it('names a stack by the stackName it deploys under, and still finds its assets by artifact id', () => {
    const renamed = mkdtempSync(path.join(tmpdir(), 'junction-assembly-'));
    try {
      writeAssembly(renamed);
      const orders = MANIFEST.artifacts.Orders;
      writeJson(renamed, 'manifest.json', {
        ...MANIFEST,
        artifacts: {
          ...MANIFEST.artifacts,
          Orders: { ...orders, properties: { ...orders.properties, stackName: 'orders-custom' } },
        },
      });
      const [stack] = readAssembly(renamed);
      expect(stack?.stackName).toBe('orders-custom');
      expect(stack?.assetPaths.get('aaa111.zip')).toBe(path.join(renamed, 'asset.aaa111'));
    } finally {
      rmSync(renamed, { recursive: true, force: true });
    }
  });

  it('parses each stack template', () => {
    const [orders, billing, empty] = readAssembly(directory);
    expect(orders?.template).toEqual(ORDERS_TEMPLATE);
    expect(billing?.template).toEqual(BILLING_TEMPLATE);
    expect(empty?.template).toEqual({ Resources: {} });
  });

  it('remembers the assembly directory of each stack', () => {
    for (const stack of readAssembly(directory)) expect(stack.directory).toBe(directory);
  });

  it('reads the assembly afresh on every call', () => {
    const first = readAssembly(directory)[0];
    const second = readAssembly(directory)[0];
    expect(second?.template).toEqual(first?.template);
    expect(second?.template).not.toBe(first?.template);
  });
});

describe('readAssembly asset paths', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'junction-assembly-'));
    writeAssembly(directory);
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const ordersAssets = () => readAssembly(directory)[0]?.assetPaths ?? new Map<string, string>();

  it('maps each object key of the stack assets to the staged path in the assembly', () => {
    expect(ordersAssets().get('aaa111.zip')).toBe(path.join(directory, 'asset.aaa111'));
    expect(ordersAssets().get('tmpl.json')).toBe(path.join(directory, 'Orders.template.json'));
  });

  it('maps every destination of an asset to the same staged file', () => {
    expect(ordersAssets().get('bbb222.mjs')).toBe(path.join(directory, 'asset.bbb222.mjs'));
    expect(ordersAssets().get('bbb222-copy.mjs')).toBe(path.join(directory, 'asset.bbb222.mjs'));
  });

  it('leaves out assets that are produced by a command rather than staged', () => {
    expect(ordersAssets().has('generated.zip')).toBe(false);
  });

  it('knows exactly the staged file assets, not the docker images', () => {
    expect([...ordersAssets().keys()].sort()).toEqual([
      'aaa111.zip',
      'bbb222-copy.mjs',
      'bbb222.mjs',
      'tmpl.json',
    ]);
  });

  it('finds a function bundle by the S3 key its template names', () => {
    const [orders] = readAssembly(directory);
    const code = orders?.template.Resources.Handler?.Properties?.Code as { S3Key: string };
    expect(orders?.assetPaths.get(code.S3Key)).toBe(path.join(directory, 'asset.aaa111'));
  });

  it('gives a stack without an asset manifest no asset paths', () => {
    expect(readAssembly(directory)[1]?.assetPaths.size).toBe(0);
  });

  it('gives a stack whose asset manifest has no files no asset paths', () => {
    expect(readAssembly(directory)[2]?.assetPaths.size).toBe(0);
  });
});

describe('readAssembly failures', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'junction-assembly-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('fails when the directory holds no manifest', () => {
    expect(() => readAssembly(directory)).toThrow(/ENOENT.*manifest\.json/);
  });

  it('fails when a stack template is missing', () => {
    writeJson(directory, 'manifest.json', {
      artifacts: {
        Gone: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Gone.template.json' } },
      },
    });
    expect(() => readAssembly(directory)).toThrow(/ENOENT.*Gone\.template\.json/);
  });

  it('fails when the manifest is not JSON', () => {
    writeFileSync(path.join(directory, 'manifest.json'), '{ not json');
    expect(() => readAssembly(directory)).toThrow(SyntaxError);
  });

  it('reads an assembly without stacks as no stacks', () => {
    writeJson(directory, 'manifest.json', {
      artifacts: { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } },
    });
    expect(readAssembly(directory)).toEqual([]);
  });
});
