import { createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { JunctionError } from '../http/errors';

/** How far a signature's timestamp may be from now, either way, before it is refused as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface SignatureCheckOptions {
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default SIGNATURE_TOLERANCE_SECONDS */
  readonly toleranceSeconds?: number;
}

export interface VerifiedSignature {
  /** The signed timestamp, in seconds since the epoch. */
  readonly timestamp: number;
}

/** The request does not carry a valid signature of its body: it is not from the provider. */
export class InvalidSignatureError extends JunctionError {
  constructor(reason: string) {
    super('INVALID_SIGNATURE', reason);
  }
}

/** A genuine signature, made too long ago or too far ahead: possibly a replayed request. */
export class StaleSignatureTimestampError extends JunctionError {
  constructor(
    readonly offsetSeconds: number,
    toleranceSeconds: number,
  ) {
    const when = offsetSeconds > 0 ? `${offsetSeconds} s in the future` : `${-offsetSeconds} s old`;
    super(
      'STALE_SIGNATURE_TIMESTAMP',
      `The signature timestamp is ${when}; the tolerance is ${toleranceSeconds} s`,
    );
  }
}

const STRIPE_HEADER = 'Stripe-Signature';
const SENDGRID_SIGNATURE = 'X-Twilio-Email-Event-Webhook-Signature';
const SENDGRID_TIMESTAMP = 'X-Twilio-Email-Event-Webhook-Timestamp';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const WHOLE_SECONDS = /^\d{1,12}$/;

function requireSecrets(secrets: readonly string[]): void {
  if (secrets.length === 0 || secrets.some((secret) => secret === ''))
    throw new Error('No signing secret to verify with');
}

/** Equal-length buffers compared in constant time; a length difference is not a secret. */
function sameBytes(expected: Buffer, candidate: Buffer): boolean {
  return expected.length === candidate.length && timingSafeEqual(expected, candidate);
}

function checkTimestamp(timestamp: number, options: SignatureCheckOptions): void {
  const tolerance = options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? (() => new Date()))().getTime() / 1000);
  const offset = timestamp - nowSeconds;
  if (Math.abs(offset) > tolerance) throw new StaleSignatureTimestampError(offset, tolerance);
}

function parseStripeHeader(header: string | undefined): { timestamp: number; signatures: Buffer[] } {
  if (header === undefined || header.trim() === '')
    throw new InvalidSignatureError(`The ${STRIPE_HEADER} header is missing`);
  let t: string | undefined;
  const signatures: Buffer[] = [];
  let v1Count = 0;
  for (const item of header.split(',')) {
    const separator = item.indexOf('=');
    if (separator < 0) continue;
    const key = item.slice(0, separator).trim();
    const value = item.slice(separator + 1).trim();
    if (key === 't') t = value;
    if (key !== 'v1') continue;
    v1Count += 1;
    // A value that is not 32 bytes of hex cannot match; it is skipped, not compared.
    if (HEX_SHA256.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (t === undefined) throw new InvalidSignatureError(`The ${STRIPE_HEADER} header has no timestamp (t=)`);
  if (!WHOLE_SECONDS.test(t))
    throw new InvalidSignatureError(`The ${STRIPE_HEADER} timestamp must be whole seconds since the epoch`);
  if (v1Count === 0) throw new InvalidSignatureError(`The ${STRIPE_HEADER} header has no v1 signature`);
  return { timestamp: Number(t), signatures };
}

/**
 * Stripe's scheme: `Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256("<t>.<raw body>")>[,v1=…]`.
 * Any v1 made with any of `secrets` (current and previous, during a rotation) is accepted. The
 * signature is checked before the timestamp, as Stripe's libraries do: only a genuine request
 * learns that it came too late.
 */
export function verifyStripeSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secrets: readonly string[],
  options: SignatureCheckOptions = {},
): VerifiedSignature {
  requireSecrets(secrets);
  const { timestamp, signatures } = parseStripeHeader(header);
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
    return signatures.some((candidate) => sameBytes(expected, candidate));
  });
  if (!matches)
    throw new InvalidSignatureError(`No v1 signature in the ${STRIPE_HEADER} header matches the payload`);
  checkTimestamp(timestamp, options);
  return { timestamp };
}

export interface SendGridSignatureHeaders {
  /** `X-Twilio-Email-Event-Webhook-Signature` (base64). */
  readonly signature: string | undefined;
  /** `X-Twilio-Email-Event-Webhook-Timestamp` (unix seconds). */
  readonly timestamp: string | undefined;
}

/** SendGrid's verification key (an EC public key, base64 DER or PEM), or undefined for a shared secret. */
function ecPublicKey(key: string): KeyObject | undefined {
  const trimmed = key.trim();
  try {
    const parsed = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : BASE64.test(trimmed)
        ? createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' })
        : undefined;
    return parsed?.asymmetricKeyType === 'ec' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function signedBy(key: string, payload: Buffer, signature: Buffer): boolean {
  const publicKey = ecPublicKey(key);
  if (publicKey) {
    try {
      return verify('sha256', payload, publicKey, signature);
    } catch {
      return false;
    }
  }
  return sameBytes(createHmac('sha256', key).update(payload).digest(), signature);
}

/**
 * SendGrid's signed event webhook: the signature covers `<timestamp><raw body>`. SendGrid signs
 * with ECDSA P-256 and publishes a verification key; a key that is an EC public key is used that
 * way. Any other key is a shared secret for base64 HMAC-SHA256 over the same bytes, which is what
 * the local sandbox sends.
 */
export function verifySendGridSignature(
  rawBody: string | Buffer,
  headers: SendGridSignatureHeaders,
  keys: readonly string[],
  options: SignatureCheckOptions = {},
): VerifiedSignature {
  requireSecrets(keys);
  const signature = headers.signature?.trim();
  if (!signature) throw new InvalidSignatureError(`The ${SENDGRID_SIGNATURE} header is missing`);
  const stamp = headers.timestamp?.trim();
  if (!stamp) throw new InvalidSignatureError(`The ${SENDGRID_TIMESTAMP} header is missing`);
  if (!WHOLE_SECONDS.test(stamp))
    throw new InvalidSignatureError(`The ${SENDGRID_TIMESTAMP} header must be whole seconds since the epoch`);
  const payload = Buffer.concat([
    Buffer.from(stamp),
    Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody),
  ]);
  const signatureBytes = BASE64.test(signature) ? Buffer.from(signature, 'base64') : Buffer.alloc(0);
  if (!keys.some((key) => signatureBytes.length > 0 && signedBy(key, payload, signatureBytes)))
    throw new InvalidSignatureError(`No signature in the ${SENDGRID_SIGNATURE} header matches the payload`);
  const timestamp = Number(stamp);
  checkTimestamp(timestamp, options);
  return { timestamp };
}
