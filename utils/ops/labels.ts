/**
 * The part of a CloudFormation-generated name a person reads: `Junction-dev-AnalyticsQueueDeadLettersQueue1A2B3C4D-xYz`
 * → `AnalyticsQueueDeadLetters`, `Junction-dev-ChargePaymentLogs1A2B3C4D-AbCd` → `ChargePayment`.
 * (local/console/console.js repeats it: the page loads no modules.)
 */
export function labelOf(name: string): string {
  return name
    .replace(/^\/aws\/lambda\//, '')
    .replace(/^[A-Za-z0-9]+-[a-z0-9]+-/, '')
    .replace(/-[A-Za-z0-9]+$/, '')
    .replace(/[0-9A-F]{8}$/, '')
    .replace(/DeadLettersQueue$/, 'DeadLetters')
    .replace(/Logs$/, '');
}
