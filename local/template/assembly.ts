import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A CloudFormation resource as the synthesized template holds it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
}

export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
  readonly Parameters?: Readonly<Record<string, { readonly Default?: unknown; readonly Type?: string }>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Mappings?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly Outputs?: Readonly<
    Record<string, { readonly Value: unknown; readonly Description?: string; readonly Condition?: string }>
  >;
}

/** One stack of a cloud assembly: its template and where each file asset was staged. */
export interface StackArtifact {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Asset object keys (`<hash>.zip`, as `S3Key` in the template) → staged directory or file. */
  readonly assetPaths: ReadonlyMap<string, string>;
  readonly directory: string;
}

interface AssemblyManifest {
  readonly artifacts: Readonly<
    Record<string, { readonly type: string; readonly properties?: Readonly<Record<string, unknown>> }>
  >;
}

interface AssetManifest {
  readonly files?: Readonly<
    Record<
      string,
      {
        readonly source: { readonly path?: string };
        readonly destinations: Readonly<Record<string, { readonly objectKey: string }>>;
      }
    >
  >;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function assetPathsOf(directory: string, assetManifestFile: string | undefined): Map<string, string> {
  const paths = new Map<string, string>();
  if (!assetManifestFile) return paths;
  const manifest = readJson<AssetManifest>(path.join(directory, assetManifestFile));
  for (const asset of Object.values(manifest.files ?? {})) {
    if (!asset.source.path) continue;
    for (const destination of Object.values(asset.destinations)) {
      paths.set(destination.objectKey, path.join(directory, asset.source.path));
    }
  }
  return paths;
}

/** Reads every CloudFormation stack of the cloud assembly in `directory` (a `cdk.out`). */
export function readAssembly(directory: string): StackArtifact[] {
  const manifest = readJson<AssemblyManifest>(path.join(directory, 'manifest.json'));
  const assetManifests = new Map<string, string>();
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (artifact.type === 'cdk:asset-manifest')
      assetManifests.set(id, String(artifact.properties?.file ?? ''));
  }
  return Object.entries(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => ({
      // The artifact id is the construct id; the stack deploys under `stackName` when one is given.
      stackName: String(artifact.properties?.stackName ?? id),
      directory,
      template: readJson<CfnTemplate>(path.join(directory, String(artifact.properties?.templateFile))),
      assetPaths: assetPathsOf(directory, assetManifests.get(`${id}.assets`)),
    }));
}
