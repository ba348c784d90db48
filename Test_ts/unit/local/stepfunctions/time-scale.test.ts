import { StateMachine } from 'aws-local-stepfunctions';
import { scaledDefinition } from '../../../../local/stepfunctions/time-scale';

describe('scaledDefinition', () => {
  it("scales each retrier's interval and maximum delay, keeping its backoff, attempts and jitter", () => {
    const definition = {
      StartAt: 'Charge',
      States: {
        Charge: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Retry: [
            {
              ErrorEquals: ['ProviderUnavailableError'],
              IntervalSeconds: 2,
              BackoffRate: 2,
              MaxAttempts: 8,
              MaxDelaySeconds: 60,
              JitterStrategy: 'FULL',
            },
            { ErrorEquals: ['States.ALL'] },
          ],
          End: true,
        },
      },
    };
    expect(scaledDefinition(definition, 0.25).States.Charge.Retry).toEqual([
      {
        ErrorEquals: ['ProviderUnavailableError'],
        IntervalSeconds: 0.5,
        BackoffRate: 2,
        MaxAttempts: 8,
        MaxDelaySeconds: 15,
        JitterStrategy: 'FULL',
      },
      // Step Functions' default interval is 1 s.
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 0.25 },
    ]);
  });

  it('scales the retriers of states inside Parallel branches and Map processors', () => {
    const retry = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10 }];
    const scaled = scaledDefinition(
      {
        StartAt: 'Fan',
        States: {
          Fan: {
            Type: 'Parallel',
            Retry: retry,
            Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Task', Retry: retry } } }],
          },
          Each: { Type: 'Map', ItemProcessor: { States: { Item: { Type: 'Task', Retry: retry } } } },
        },
      },
      0.5,
    );
    expect(scaled.States.Fan.Retry[0]?.IntervalSeconds).toBe(5);
    expect(scaled.States.Fan.Branches[0]?.States.Inner.Retry[0]?.IntervalSeconds).toBe(5);
    expect(scaled.States.Each.ItemProcessor.States.Item.Retry[0]?.IntervalSeconds).toBe(5);
    expect(retry[0]?.IntervalSeconds).toBe(10);
  });

  it('returns the definition itself at time scale 1', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
    expect(scaledDefinition(definition, 1)).toBe(definition);
  });

  it('runs in the emulator with its backoff: three scaled retries wait 1 + 2 + 4 intervals, not 3', async () => {
    let attempts = 0;
    const definition = scaledDefinition(
      {
        StartAt: 'Flaky',
        States: {
          Flaky: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:000000000000:function:flaky',
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }],
            End: true,
          },
        },
      },
      0.05,
    );
    const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
    const started = Date.now();
    const run = machine.run(
      {},
      {
        overrides: {
          taskResourceLocalHandlers: {
            Flaky: async () => {
              attempts += 1;
              if (attempts <= 3) throw new Error('flaky');
              return { ok: true };
            },
          },
        },
      },
    );
    await expect(run.result).resolves.toEqual({ ok: true });
    expect(attempts).toBe(4);
    // 50 + 100 + 200 ms; timers never fire early, and a fixed interval would take 150 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });
});
