import { PAYMENT_CONTRACT } from '../../../utils/contracts/bundled';
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  loadPaymentConfig,
  PAYMENT_CIRCUIT,
  paymentContractWithin,
} from '../../../utils/payments/payment-setup';
import { DEFAULT_BUDGET_MS } from '../../../utils/payments/process-payment';

const tables = { IDEMPOTENCY_TABLE_NAME: 'idempotency' };

describe('loadPaymentConfig', () => {
  it('reads the idempotency table and defaults the budget to 5 s and an attempt to 2 s', () => {
    expect(loadPaymentConfig(tables)).toEqual({
      ...tables,
      PAYMENT_BUDGET_MS: DEFAULT_BUDGET_MS,
      PAYMENT_ATTEMPT_TIMEOUT_MS: DEFAULT_ATTEMPT_TIMEOUT_MS,
    });
    expect([DEFAULT_BUDGET_MS, DEFAULT_ATTEMPT_TIMEOUT_MS]).toEqual([5000, 2000]);
  });

  it('takes the budget and attempt timeout the construct sets', () => {
    expect(
      loadPaymentConfig({ ...tables, PAYMENT_BUDGET_MS: '8000', PAYMENT_ATTEMPT_TIMEOUT_MS: '2500' }),
    ).toMatchObject({ PAYMENT_BUDGET_MS: 8000, PAYMENT_ATTEMPT_TIMEOUT_MS: 2500 });
  });

  it('fails fast without its idempotency table', () => {
    expect(() => loadPaymentConfig({})).toThrow(/Invalid configuration: IDEMPOTENCY_TABLE_NAME/);
  });

  it.each([
    [{ PAYMENT_BUDGET_MS: 'soon' }, /PAYMENT_BUDGET_MS/],
    [{ PAYMENT_BUDGET_MS: '0' }, /PAYMENT_BUDGET_MS/],
    [{ PAYMENT_ATTEMPT_TIMEOUT_MS: '1.5' }, /PAYMENT_ATTEMPT_TIMEOUT_MS/],
    [
      { PAYMENT_BUDGET_MS: '2000', PAYMENT_ATTEMPT_TIMEOUT_MS: '2000' },
      /PAYMENT_ATTEMPT_TIMEOUT_MS \(2000\) must be below PAYMENT_BUDGET_MS \(2000\)/,
    ],
  ])('fails fast on %p', (env, message) => {
    expect(() => loadPaymentConfig({ ...tables, ...env })).toThrow(message);
  });
});

describe('paymentContractWithin', () => {
  it("shortens the contract's per-attempt timeout and keeps everything else", () => {
    const contract = paymentContractWithin(2000);
    expect(contract.errorHandling).toEqual({ ...PAYMENT_CONTRACT.errorHandling, timeoutMs: 2000 });
    expect(contract.endpoints).toBe(PAYMENT_CONTRACT.endpoints);
    expect(PAYMENT_CONTRACT.errorHandling.timeoutMs).toBe(10_000);
  });

  it("never lengthens it beyond the contract's", () => {
    expect(paymentContractWithin(60_000).errorHandling.timeoutMs).toBe(10_000);
  });
});

describe('PAYMENT_CIRCUIT', () => {
  it("is the payment provider's circuit, the one the order saga's charge and refund use", () => {
    expect(PAYMENT_CIRCUIT).toBe('payment');
  });
});
