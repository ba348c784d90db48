import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import {
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Scopes by resource server: `{ orders: { write: 'Create orders' } }` declares `orders/write`. */
export type ResourceServers = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface MachineAuthProps {
  readonly resourceServers: ResourceServers;
  /**
   * Prefix of the Cognito domain that serves `/oauth2/token`; unique per region.
   * @default `junction-<stageName>-<account id>`
   */
  readonly domainPrefix?: string;
  readonly stageName: string;
  /** What happens to the user pool when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * OAuth2 for machines: a Cognito user pool that no person signs up to, resource servers with
 * scopes, a domain serving the token endpoint, and client-credentials app clients.
 */
export class MachineAuth extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  private readonly scopes = new Map<string, { server: UserPoolResourceServer; scope: ResourceServerScope }>();

  constructor(scope: Construct, id: string, props: MachineAuthProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      // No person signs in; these settings keep the pool safe if one ever were created.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    for (const [identifier, scopes] of Object.entries(props.resourceServers)) {
      const declared = Object.entries(scopes).map(
        ([scopeName, scopeDescription]) => new ResourceServerScope({ scopeName, scopeDescription }),
      );
      const server = this.userPool.addResourceServer(`${identifier}Server`, { identifier, scopes: declared });
      for (const declaredScope of declared) {
        this.scopes.set(`${identifier}/${declaredScope.scopeName}`, { server, scope: declaredScope });
      }
    }
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? Fn.join('-', ['junction', props.stageName, Aws.ACCOUNT_ID]),
      },
    });
  }

  /** The full names of every declared scope (`orders/write`). */
  get scopeNames(): string[] {
    return [...this.scopes.keys()];
  }

  /** Fails unless every scope is declared; `subject` says who asked, for the message. */
  checkScopes(subject: string, scopes: readonly string[]): void {
    for (const scope of scopes) this.declaredScope(subject, scope);
  }

  private declaredScope(subject: string, scope: string) {
    const found = this.scopes.get(scope);
    if (!found) throw new Error(`${subject} unknown scope "${scope}" (known: ${this.scopeNames.join(', ')})`);
    return found;
  }

  /** A client-credentials app client with a secret, allowed exactly these scopes. */
  addClient(name: string, scopes: readonly string[]): UserPoolClient {
    const subject = `Client "${name}" asks for`;
    return this.userPool.addClient(`${name}Client`, {
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: scopes.map((scope) => {
          const { server, scope: declared } = this.declaredScope(subject, scope);
          return OAuthScope.resourceServer(server, declared);
        }),
      },
      accessTokenValidity: Duration.hours(1),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
  }

  /** The OAuth2 token endpoint clients post their credentials to. */
  get tokenUrl(): string {
    return `${this.domain.baseUrl()}/oauth2/token`;
  }
}
