import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { executionNameFor, startSagaOnce } from '../../../utils/orchestration/saga-starter';

const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:eu-west-1:000000000000:stateMachine:OrderSaga';
const envelope = {
  id: 'evt-3f0c7a52-5d0e-8b1c-9a4e-2b6f1d0c9e71',
  type: 'order.created',
  data: { order_id: 'o-1' },
};

describe('executionNameFor', () => {
  it('is the event id when it is a valid execution name', () => {
    expect(executionNameFor('evt-3f0c7a52-5d0e-8b1c-9a4e-2b6f1d0c9e71')).toBe(
      'evt-3f0c7a52-5d0e-8b1c-9a4e-2b6f1d0c9e71',
    );
  });

  it('is a stable digest of any other id, so the same event always names the same execution', () => {
    const name = executionNameFor('evt with spaces/and:colons and a very long tail '.repeat(3));
    expect(name).toMatch(/^evt-[0-9a-f]{64}$/);
    expect(executionNameFor('evt with spaces/and:colons and a very long tail '.repeat(3))).toBe(name);
    expect(executionNameFor('another id')).not.toBe(name);
  });
});

describe('startSagaOnce', () => {
  beforeEach(() => sfn.reset());

  it('starts one execution named after the event, with the envelope as its input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });
    const started = await startSagaOnce(new SFNClient({ region: 'eu-west-1' }), MACHINE, envelope);
    expect(started).toEqual({ started: true, executionName: envelope.id });
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(input).toEqual({ stateMachineArn: MACHINE, name: envelope.id, input: JSON.stringify(envelope) });
  });

  it('treats an execution that already exists for the event as started: a redelivered event runs the saga once', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const started = await startSagaOnce(new SFNClient({ region: 'eu-west-1' }), MACHINE, envelope);
    expect(started).toEqual({ started: false, executionName: envelope.id });
  });

  it('lets any other error through, so the message is retried', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('ThrottlingException'));
    await expect(startSagaOnce(new SFNClient({ region: 'eu-west-1' }), MACHINE, envelope)).rejects.toThrow(
      'ThrottlingException',
    );
  });
});
