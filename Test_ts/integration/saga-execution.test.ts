import { PassThrough } from 'node:stream';
import type { CfnElement } from 'aws-cdk-lib';
import { LAMBDA_TRANSIENT_ERRORS } from '../../lib/orchestration/saga';
import { ConsoleLog } from '../../local/runtime/console-log';
import { type Execution, StepFunctions } from '../../local/stepfunctions/step-functions';
import type { TaskServices } from '../../local/stepfunctions/task-handlers';
import type { CfnTemplate } from '../../local/template/assembly';
import { TemplateResources } from '../../local/template/resources';
import { stateMachinesOf } from '../../local/template/topology-compute';
import type { StateMachineSpec } from '../../local/template/topology-types';
import { type FunctionName, NAMES, orderSaga } from '../fixtures/orchestration/order-saga';
import { localEnv } from '../fixtures/template/junction-assembly';

/**
 * A synthesized Saga run by the local cloud's Step Functions (aws-local-stepfunctions), with a tiny
 * local handler behind each Lambda function: proves the ASL the construct writes behaves.
 */

type Outcome = Awaited<ReturnType<TaskServices['invokeFunction']>>;
/** What a function does on its `attempt`-th call (1 for the first) in an execution. */
type Behaviour = (payload: SagaPayload, attempt: number) => Outcome;

interface SagaPayload {
  readonly input: unknown;
  readonly steps: Record<string, unknown>;
  readonly failures?: Record<string, { Error: string; Cause: string }>;
  readonly error?: { Error: string; Cause: string };
  readonly failure?: { step: string; reason: string };
  readonly saga: { executionName: string; stepId?: string };
}

const failWith = (errorType: string): Outcome => ({
  error: { errorType, errorMessage: `${errorType} from the test handler` },
});

function synthesizeSaga(): { spec: StateMachineSpec; functionByArn: Map<string, FunctionName> } {
  const { stack, fns, template } = orderSaga(
    {},
    {
      // Every task error is retried but the business one: the MaxAttempts 0 retrier must win.
      chargePayment: { retry: { errors: ['States.TaskFailed'], maxAttempts: 2 } },
      createInvoice: { retry: { errors: [...LAMBDA_TRANSIENT_ERRORS, 'InvoiceServiceBusyError'] } },
    },
  );
  const resources = new TemplateResources(template.toJSON() as CfnTemplate, localEnv());
  const [spec] = stateMachinesOf(resources);
  if (!spec) throw new Error('The saga synthesized no state machine');
  const functionByArn = new Map(
    NAMES.map((name) => {
      const logicalId = stack.getLogicalId(fns[name].node.defaultChild as CfnElement);
      return [String(resources.physicalOf(logicalId)?.attributes.Arn), name];
    }),
  );
  return { spec, functionByArn };
}

let spec: StateMachineSpec;
let stepFunctions: StepFunctions;
let behaviours: Partial<Record<FunctionName, Behaviour>>;
let calls: { name: FunctionName; payload: SagaPayload }[];

beforeAll(() => {
  const synthesized = synthesizeSaga();
  spec = synthesized.spec;
  const services: TaskServices = {
    invokeFunction: async (arn, payload) => {
      const name = synthesized.functionByArn.get(arn);
      if (!name) throw new Error(`The saga invoked an unknown function ${arn}`);
      calls.push({ name, payload: payload as SagaPayload });
      const attempt = calls.filter((call) => call.name === name).length;
      return behaviours[name]?.(payload as SagaPayload, attempt) ?? { payload: { by: name } };
    },
    putEvents: () => {
      throw new Error('The saga puts no events itself');
    },
    sendMessage: () => {
      throw new Error('The saga sends no messages itself');
    },
    dynamodb: async () => {
      throw new Error('The saga calls no DynamoDB itself');
    },
    startExecution: () => {
      throw new Error('The saga starts no executions itself');
    },
  };
  // Retry intervals scaled down a thousandfold: the retries still happen, in milliseconds.
  stepFunctions = new StepFunctions([spec], services, new ConsoleLog('quiet', new PassThrough()), 0.001);
});

beforeEach(() => {
  behaviours = {};
  calls = [];
});

const ORDER = { orderId: 'ord-1', amount: 42 };

async function run(name: string): Promise<Execution> {
  const execution = stepFunctions.start(spec.arn, ORDER, name);
  await execution.done;
  return execution;
}

const called = () => calls.map((call) => call.name);
const payloadOf = (name: FunctionName) => {
  const call = calls.find((candidate) => candidate.name === name);
  if (!call) throw new Error(`${name} was not called; calls: ${called().join(', ')}`);
  return call.payload;
};

describe('A synthesized Saga on the local Step Functions', () => {
  it('is accepted by the emulator with JitterStrategy and MaxDelaySeconds in its retriers', () => {
    const retriers = Object.values(spec.definition.States as Record<string, { Retry?: object[] }>).flatMap(
      (state) => state.Retry ?? [],
    );
    expect(retriers).toContainEqual(expect.objectContaining({ JitterStrategy: 'FULL', MaxDelaySeconds: 20 }));
    expect(stepFunctions.spec(spec.arn)).toBe(spec);
  });

  it('runs every step then the success handler when all succeed, with each result under $.steps', async () => {
    const execution = await run('all-succeed');
    expect(called()).toEqual(['Reserve', 'Charge', 'Invoice', 'Email', 'Crm', 'Complete']);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      input: ORDER,
      steps: {
        reserveStock: { by: 'Reserve' },
        chargePayment: { by: 'Charge' },
        createInvoice: { by: 'Invoice' },
        sendEmail: { by: 'Email' },
        notifyCrm: { by: 'Crm' },
      },
      failures: {},
    });
    expect(payloadOf('Invoice')).toEqual({
      input: ORDER,
      steps: { reserveStock: { by: 'Reserve' }, chargePayment: { by: 'Charge' } },
      saga: { executionName: 'all-succeed', stepId: 'createInvoice' },
    });
  });

  it('compensates steps 2 then 1 when step 3 fails with a business error, then fails the execution', async () => {
    behaviours.Invoice = () => failWith('InvoiceRejectedError');
    const execution = await run('invoice-rejected');
    expect(called()).toEqual(['Reserve', 'Charge', 'Invoice', 'Refund', 'Release', 'Fail']);
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'SagaFailed',
      cause: 'Step createInvoice failed with InvoiceRejectedError; the steps before it were compensated',
    });
    expect(payloadOf('Refund')).toMatchObject({
      input: ORDER,
      error: { Error: 'InvoiceRejectedError' },
      failure: { step: 'createInvoice' },
      saga: { executionName: 'invoice-rejected', stepId: 'chargePayment' },
    });
    const failure = payloadOf('Fail');
    expect(failure).toMatchObject({
      error: { Error: 'InvoiceRejectedError' },
      failure: { step: 'createInvoice' },
    });
    expect(JSON.parse(failure.error?.Cause ?? '')).toEqual({
      errorType: 'InvoiceRejectedError',
      errorMessage: 'InvoiceRejectedError from the test handler',
    });
  });

  it('retries a transient error and goes on when the retry succeeds', async () => {
    behaviours.Invoice = (_, attempt) =>
      attempt === 1 ? failWith('InvoiceServiceBusyError') : { payload: 'inv-1' };
    const execution = await run('invoice-busy-once');
    expect(called()).toEqual(['Reserve', 'Charge', 'Invoice', 'Invoice', 'Email', 'Crm', 'Complete']);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '').steps.createInvoice).toBe('inv-1');
    expect(execution.history.filter((event) => event.type === 'TaskFailed')).toEqual([
      expect.objectContaining({
        taskFailedEventDetails: expect.objectContaining({ error: 'InvoiceServiceBusyError' }),
      }),
    ]);
  });

  it('compensates once the retries of a transient error are used up', async () => {
    behaviours.Charge = () => failWith('PaymentProviderUnavailableError');
    const execution = await run('charge-unavailable');
    expect(called()).toEqual(['Reserve', 'Charge', 'Charge', 'Charge', 'Release', 'Fail']);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'SagaFailed' });
  });

  it('never retries a business error, even when its step retries every task error', async () => {
    behaviours.Charge = () => failWith('PaymentDeclinedError');
    const execution = await run('charge-declined');
    expect(called()).toEqual(['Reserve', 'Charge', 'Release', 'Fail']);
    expect(execution.cause).toBe(
      'Step chargePayment failed with PaymentDeclinedError; the steps before it were compensated',
    );
  });

  it('does not fail the saga when a continue step fails: the failure is recorded and the next step runs', async () => {
    behaviours.Email = () => failWith('EmailBouncedError');
    const execution = await run('email-bounced');
    expect(called()).toEqual(['Reserve', 'Charge', 'Invoice', 'Email', 'Crm', 'Complete']);
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output ?? '');
    expect(output.failures.sendEmail.Error).toBe('EmailBouncedError');
    expect(output.steps).not.toHaveProperty('sendEmail');
    expect(payloadOf('Complete').failures).toEqual({
      sendEmail: expect.objectContaining({ Error: 'EmailBouncedError' }),
    });
  });

  it('retries a compensation and goes on with the next one when the retry succeeds', async () => {
    behaviours.Invoice = () => failWith('InvoiceRejectedError');
    behaviours.Refund = (_, attempt) =>
      attempt === 1 ? failWith('RefundTimeoutError') : { payload: 'refunded' };
    const execution = await run('refund-retried');
    expect(called()).toEqual(['Reserve', 'Charge', 'Invoice', 'Refund', 'Refund', 'Release', 'Fail']);
    expect(execution.error).toBe('SagaFailed');
  });

  it('ends in SagaCompensationFailed when a compensation still fails after its retries, undoing nothing more', async () => {
    behaviours.Invoice = () => failWith('InvoiceRejectedError');
    behaviours.Refund = () => failWith('RefundRejectedError');
    const execution = await run('refund-rejected');
    expect(called()).toEqual(['Reserve', 'Charge', 'Invoice', ...Array(7).fill('Refund')]);
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'SagaCompensationFailed',
      cause:
        'Compensation of step chargePayment failed with RefundRejectedError; the steps before it were not compensated',
    });
  });
});
