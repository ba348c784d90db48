import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import {
  InvalidSignatureError,
  StaleSignatureTimestampError,
  verifySendGridSignature,
  verifyStripeSignature,
} from '../../../utils/security/webhook-signature';

const SECRET = 'whsec_current_0123456789abcdef';
const PREVIOUS = 'whsec_previous_fedcba9876543210';
const NOW_S = 1_736_935_200; // 2025-01-15T10:00:00Z
const clock = { now: () => new Date(NOW_S * 1000) };
const BODY = '{"id":"evt_1","type":"charge.succeeded","data":{"object":{"amount":990}}}';

const stripeV1 = (secret: string, t: number, body: string | Buffer = BODY) =>
  createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');

const sendGridHmac = (secret: string, t: number, body = BODY) =>
  createHmac('sha256', secret).update(`${t}${body}`).digest('base64');

function caught(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('verifyStripeSignature', () => {
  it('accepts a signature made with the secret over "<t>.<raw body>", and returns the timestamp', () => {
    const header = `t=${NOW_S},v1=${stripeV1(SECRET, NOW_S)}`;
    expect(verifyStripeSignature(BODY, header, [SECRET], clock)).toEqual({ timestamp: NOW_S });
  });

  it('verifies the raw bytes, Buffer or string alike', () => {
    const bytes = Buffer.from('{"name":"Zoë"}', 'utf8');
    const header = `t=${NOW_S},v1=${stripeV1(SECRET, NOW_S, bytes)}`;
    expect(verifyStripeSignature(bytes, header, [SECRET], clock).timestamp).toBe(NOW_S);
    expect(verifyStripeSignature('{"name":"Zoë"}', header, [SECRET], clock).timestamp).toBe(NOW_S);
  });

  it('accepts any of several v1 signatures, and ignores other schemes', () => {
    const header = `t=${NOW_S},v1=${'0'.repeat(64)},v0=abc,v1=${stripeV1(SECRET, NOW_S)}`;
    expect(verifyStripeSignature(BODY, header, [SECRET], clock).timestamp).toBe(NOW_S);
  });

  it('accepts a signature made with the previous secret while the secret is rotated', () => {
    const header = `t=${NOW_S},v1=${stripeV1(PREVIOUS, NOW_S)}`;
    expect(verifyStripeSignature(BODY, header, [SECRET, PREVIOUS], clock).timestamp).toBe(NOW_S);
    expect(() => verifyStripeSignature(BODY, header, [SECRET], clock)).toThrow(InvalidSignatureError);
  });

  it('rejects a tampered body', () => {
    const header = `t=${NOW_S},v1=${stripeV1(SECRET, NOW_S)}`;
    const error = caught(() => verifyStripeSignature(BODY.replace('990', '1'), header, [SECRET], clock));
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error).toMatchObject({
      code: 'INVALID_SIGNATURE',
      status: 400,
      message: 'No v1 signature in the Stripe-Signature header matches the payload',
    });
  });

  it('rejects a tampered signature, a tampered timestamp and a signature of the wrong length', () => {
    const good = stripeV1(SECRET, NOW_S);
    const flipped = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    for (const header of [
      `t=${NOW_S},v1=${flipped}`,
      `t=${NOW_S - 1},v1=${good}`,
      `t=${NOW_S},v1=${good.slice(0, 62)}`,
      `t=${NOW_S},v1=${good}00`,
      `t=${NOW_S},v1=${'z'.repeat(64)}`,
    ]) {
      expect(() => verifyStripeSignature(BODY, header, [SECRET], clock)).toThrow(InvalidSignatureError);
    }
  });

  it.each([
    [undefined, 'The Stripe-Signature header is missing'],
    ['', 'The Stripe-Signature header is missing'],
    [`v1=${'a'.repeat(64)}`, 'The Stripe-Signature header has no timestamp (t=)'],
    [`t=soon,v1=${'a'.repeat(64)}`, 'The Stripe-Signature timestamp must be whole seconds since the epoch'],
    [`t=${NOW_S}`, 'The Stripe-Signature header has no v1 signature'],
    ['garbage', 'The Stripe-Signature header has no timestamp (t=)'],
  ])('rejects the header %p: %s', (header, message) => {
    const error = caught(() => verifyStripeSignature(BODY, header, [SECRET], clock));
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error.message).toBe(message);
  });

  it('rejects a genuine signature more than 300 s old', () => {
    const t = NOW_S - 301;
    const error = caught(() =>
      verifyStripeSignature(BODY, `t=${t},v1=${stripeV1(SECRET, t)}`, [SECRET], clock),
    );
    expect(error).toBeInstanceOf(StaleSignatureTimestampError);
    expect(error).toMatchObject({
      code: 'STALE_SIGNATURE_TIMESTAMP',
      status: 400,
      message: 'The signature timestamp is 301 s old; the tolerance is 300 s',
    });
  });

  it('rejects a genuine signature more than 300 s in the future', () => {
    const t = NOW_S + 301;
    const error = caught(() =>
      verifyStripeSignature(BODY, `t=${t},v1=${stripeV1(SECRET, t)}`, [SECRET], clock),
    );
    expect(error).toBeInstanceOf(StaleSignatureTimestampError);
    expect(error.message).toBe('The signature timestamp is 301 s in the future; the tolerance is 300 s');
  });

  it('accepts timestamps exactly at the tolerance, which can be changed', () => {
    for (const t of [NOW_S - 300, NOW_S + 300]) {
      expect(verifyStripeSignature(BODY, `t=${t},v1=${stripeV1(SECRET, t)}`, [SECRET], clock).timestamp).toBe(
        t,
      );
    }
    const t = NOW_S - 60;
    const header = `t=${t},v1=${stripeV1(SECRET, t)}`;
    expect(() => verifyStripeSignature(BODY, header, [SECRET], { ...clock, toleranceSeconds: 30 })).toThrow(
      StaleSignatureTimestampError,
    );
  });

  it('checks the signature before the timestamp, so a forgery never learns about the clock', () => {
    const t = NOW_S - 3600;
    expect(() => verifyStripeSignature(BODY, `t=${t},v1=${'a'.repeat(64)}`, [SECRET], clock)).toThrow(
      InvalidSignatureError,
    );
  });

  it('refuses to verify without a secret: a configuration error, not a bad request', () => {
    const error = caught(() =>
      verifyStripeSignature(BODY, `t=${NOW_S},v1=${stripeV1(SECRET, NOW_S)}`, [], clock),
    );
    expect(error).not.toBeInstanceOf(InvalidSignatureError);
    expect(error.message).toBe('No signing secret to verify with');
  });
});

describe('verifySendGridSignature', () => {
  const headers = (signature: string | undefined, timestamp: string | undefined) => ({
    signature,
    timestamp,
  });

  it('accepts the sandbox scheme: base64 HMAC-SHA256 of "<timestamp><raw body>" with the shared secret', () => {
    const signed = headers(sendGridHmac(SECRET, NOW_S), String(NOW_S));
    expect(verifySendGridSignature(BODY, signed, [SECRET], clock)).toEqual({ timestamp: NOW_S });
  });

  it("accepts SendGrid's own scheme: an ECDSA P-256 signature checked with the verification key", () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    // SendGrid shows the verification key as base64 DER (SubjectPublicKeyInfo).
    const verificationKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const signature = sign('sha256', Buffer.from(`${NOW_S}${BODY}`), privateKey).toString('base64');
    expect(
      verifySendGridSignature(BODY, headers(signature, String(NOW_S)), [verificationKey], clock),
    ).toEqual({
      timestamp: NOW_S,
    });
    const forged = sign('sha256', Buffer.from(`${NOW_S}${BODY}x`), privateKey).toString('base64');
    expect(() =>
      verifySendGridSignature(BODY, headers(forged, String(NOW_S)), [verificationKey], clock),
    ).toThrow(InvalidSignatureError);
  });

  it('accepts the previous secret during a rotation', () => {
    const signed = headers(sendGridHmac(PREVIOUS, NOW_S), String(NOW_S));
    expect(verifySendGridSignature(BODY, signed, [SECRET, PREVIOUS], clock).timestamp).toBe(NOW_S);
  });

  it('rejects a tampered body or signature', () => {
    const signature = sendGridHmac(SECRET, NOW_S);
    expect(() =>
      verifySendGridSignature(`${BODY} `, headers(signature, String(NOW_S)), [SECRET], clock),
    ).toThrow('No signature in the X-Twilio-Email-Event-Webhook-Signature header matches the payload');
    const tampered = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(() => verifySendGridSignature(BODY, headers(tampered, String(NOW_S)), [SECRET], clock)).toThrow(
      InvalidSignatureError,
    );
  });

  it.each([
    [undefined, String(NOW_S), 'The X-Twilio-Email-Event-Webhook-Signature header is missing'],
    ['abc=', undefined, 'The X-Twilio-Email-Event-Webhook-Timestamp header is missing'],
    [
      'abc=',
      'yesterday',
      'The X-Twilio-Email-Event-Webhook-Timestamp header must be whole seconds since the epoch',
    ],
  ])('rejects signature %p with timestamp %p', (signature, timestamp, message) => {
    const error = caught(() => verifySendGridSignature(BODY, headers(signature, timestamp), [SECRET], clock));
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error.message).toBe(message);
  });

  it('rejects genuine signatures too old or too far in the future', () => {
    for (const [t, message] of [
      [NOW_S - 400, 'The signature timestamp is 400 s old; the tolerance is 300 s'],
      [NOW_S + 400, 'The signature timestamp is 400 s in the future; the tolerance is 300 s'],
    ] as const) {
      const signed = headers(sendGridHmac(SECRET, t), String(t));
      const error = caught(() => verifySendGridSignature(BODY, signed, [SECRET], clock));
      expect(error).toBeInstanceOf(StaleSignatureTimestampError);
      expect(error.message).toBe(message);
    }
  });
});
