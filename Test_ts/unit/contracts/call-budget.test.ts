import { PAYMENT_CONTRACT } from '../../../utils/contracts/bundled';
import { worstCaseCallMs } from '../../../utils/contracts/call-budget';
import { parseContract } from '../../../utils/contracts/load';

const contract = (errorHandling: string) =>
  parseContract(
    `
integration:
  name: "widgets"
  version: "1.0"
  base_url: {env: WIDGETS_BASE_URL}
  endpoints:
    - {name: get_widget, method: GET, path: /widgets}
  error_handling: ${errorHandling}
`,
    'widgets.yaml',
  );

describe('worstCaseCallMs', () => {
  it('is every attempt timing out, with the longest wait allowed between them', () => {
    // 4 attempts of 10 s, and 3 waits of at most max_delay (a Retry-After is capped there too).
    const budget = contract(
      '{retries: 3, backoff: exponential, timeout: 10s, initial_delay: 250ms, max_delay: 8s}',
    );
    expect(worstCaseCallMs(budget)).toBe(4 * 10_000 + 3 * 8_000);
  });

  it('is one attempt when the contract allows no retry', () => {
    expect(worstCaseCallMs(contract('{retries: 0, backoff: exponential, timeout: 2s}'))).toBe(2_000);
  });

  it("fits the payment contract's 3 retries of 10 s", () => {
    expect(worstCaseCallMs(PAYMENT_CONTRACT)).toBe(64_000);
  });
});
