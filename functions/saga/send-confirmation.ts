import { z } from 'zod';
import { loadConfig } from '../../utils/config/env';
import { EmailConnector } from '../../utils/connectors/email';
import { connectorOptionsFromEnvironment } from '../../utils/connectors/environment';
import { EMAIL_CONTRACT } from '../../utils/contracts/bundled';
import { sagaStepHandler } from '../../utils/orchestration/saga-step-handler';
import { type StepPayload, sendConfirmation } from '../../utils/orders/saga/steps';
import { circuitBreakerFor } from '../../utils/resilience/circuit-from-environment';

/** Order saga, step confirm: e-mails the confirmation; the saga goes on if it cannot. */
const config = loadConfig(z.object({ CONFIRMATION_SENDER: z.email() }));
const email = new EmailConnector({
  ...connectorOptionsFromEnvironment(EMAIL_CONTRACT),
  breaker: circuitBreakerFor('email'),
});

export const handler = sagaStepHandler('confirm', (payload: StepPayload) =>
  sendConfirmation(payload, email, config.CONFIRMATION_SENDER),
);
