import { type CfnElement, Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { JsonPath, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import {
  acknowledgeSagaNagFindings,
  SAGA_NAG_ACKNOWLEDGEMENTS,
} from '../../lib/compliance/nag-acknowledgements';
import { Saga } from '../../lib/orchestration/saga';
import { JITTERED_DEFAULT, lambda, NAMES, orderSaga } from '../fixtures/orchestration/order-saga';
import { templateOf, testStack } from '../support/stacks';
import {
  type AslDefinition,
  catchTarget,
  definitionOf,
  pathFrom,
  stateOf,
} from '../support/state-machine-definition';

describe('Saga state machine resource', () => {
  it('is a Standard state machine with X-Ray tracing and ALL-level logs without execution data', () => {
    const { template } = orderSaga();
    const logGroup = new Capture();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }],
      },
    });
    expect(logGroup.asString()).toMatch(/^OrderSagaLogs/);
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 30 },
    });
  });

  it('logs execution data, keeps its logs for the given time and lets them go with the stack when told', () => {
    const { template } = orderSaga({
      includeExecutionData: true,
      logRetention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: true }),
    });
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Delete',
      Properties: { RetentionInDays: 7 },
    });
  });

  it('times out after an hour by default, or after the given timeout', () => {
    expect(orderSaga().definition.TimeoutSeconds).toBe(3600);
    expect(orderSaga({ timeout: Duration.days(2) }).definition.TimeoutSeconds).toBe(172_800);
  });

  it('exposes the state machine, and grantStart allows StartExecution on it alone', () => {
    const built = orderSaga();
    const { stack, saga } = built;
    const starter = new Role(stack, 'Starter', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    saga.grantStart(starter);
    const machineId = stack.getLogicalId(saga.stateMachine.node.defaultChild as CfnElement);
    const template = built.template;
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(starter.node.defaultChild as CfnElement) }] },
    });
    expect(Object.values(policies).map((policy) => policy.Properties.PolicyDocument.Statement)).toEqual([
      [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machineId } }],
    ]);
    expect(template.findResources('AWS::StepFunctions::StateMachine')).toHaveProperty([machineId]);
  });

  it('may invoke the functions of its tasks, compensations and handlers, and lists them', () => {
    const { saga, template, stack, fns } = orderSaga();
    const invoked = new Capture();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: invoked }),
        ]),
      },
    });
    const arns = (invoked.asArray() as { 'Fn::GetAtt'?: [string, string] }[])
      .flatMap((resource) => (resource['Fn::GetAtt'] ? [resource['Fn::GetAtt'][0]] : []))
      .sort();
    const logicalIds = NAMES.map((name) => stack.getLogicalId(fns[name].node.defaultChild as CfnElement));
    expect(arns).toEqual([...logicalIds].sort());
    expect(saga.invokedFunctions).toHaveLength(NAMES.length);
  });
});

describe('Saga definition: the happy path', () => {
  it('keeps the execution input at $.input and starts with empty steps and failures', () => {
    const { definition } = orderSaga();
    expect(definition.StartAt).toBe('Prepare saga');
    expect(stateOf(definition, 'Prepare saga')).toEqual({
      Type: 'Pass',
      Parameters: { 'input.$': '$', steps: {}, failures: {} },
      Next: 'reserveStock',
    });
  });

  it('runs the steps in order, then the success handler, and succeeds', () => {
    const { definition } = orderSaga();
    expect(pathFrom(definition, definition.StartAt)).toEqual([
      'Prepare saga',
      'reserveStock',
      'chargePayment',
      'createInvoice',
      'sendEmail',
      'notifyCrm',
      'Handle success',
      'SagaSucceeded',
    ]);
    expect(stateOf(definition, 'SagaSucceeded').Type).toBe('Succeed');
  });

  it('invokes a step function directly with the input, the results so far and who it is, into $.steps.<id>', () => {
    const { definition, arnOf } = orderSaga();
    expect(stateOf(definition, 'chargePayment')).toMatchObject({
      Type: 'Task',
      Resource: arnOf('Charge'),
      Parameters: {
        'input.$': '$.input',
        'steps.$': '$.steps',
        saga: { 'executionName.$': '$$.Execution.Name', stepId: 'chargePayment' },
      },
      ResultPath: '$.steps.chargePayment',
    });
  });

  it('passes the success handler the results and the recorded failures, and keeps the state as output', () => {
    const { definition, arnOf } = orderSaga();
    expect(stateOf(definition, 'Handle success')).toMatchObject({
      Resource: arnOf('Complete'),
      Parameters: {
        'input.$': '$.input',
        'steps.$': '$.steps',
        'failures.$': '$.failures',
        saga: { 'executionName.$': '$$.Execution.Name' },
      },
      ResultPath: null,
      Next: 'SagaSucceeded',
    });
  });

  it('goes from the last step straight to SagaSucceeded without a success handler', () => {
    const { definition } = orderSaga({ successHandler: undefined });
    expect(stateOf(definition, 'notifyCrm').Next).toBe('SagaSucceeded');
    expect(definition.States).not.toHaveProperty(['Handle success']);
  });
});

function failurePath(definition: AslDefinition, stepId: string): string[] {
  return pathFrom(definition, catchTarget(definition, stepId).Next);
}

describe('Saga definition: failure and compensation', () => {
  it.each([
    ['reserveStock', []],
    ['chargePayment', ['Compensate reserveStock']],
    ['createInvoice', ['Compensate chargePayment', 'Compensate reserveStock']],
    ['notifyCrm', ['Compensate createInvoice', 'Compensate chargePayment', 'Compensate reserveStock']],
  ])('after %s fails, compensates the completed steps in reverse order: %j', (stepId, compensations) => {
    const { definition } = orderSaga();
    expect(catchTarget(definition, stepId)).toEqual({
      ErrorEquals: ['States.ALL'],
      ResultPath: '$.error',
      Next: `${stepId} failed`,
    });
    expect(failurePath(definition, stepId)).toEqual([
      `${stepId} failed`,
      ...compensations,
      'Handle failure',
      'SagaFailed',
    ]);
  });

  it('skips the steps that have nothing to undo', () => {
    const { definition } = orderSaga({}, { chargePayment: { compensation: undefined } });
    expect(definition.States).not.toHaveProperty(['Compensate chargePayment']);
    expect(failurePath(definition, 'createInvoice')).toEqual([
      'createInvoice failed',
      'Compensate reserveStock',
      'Handle failure',
      'SagaFailed',
    ]);
  });

  it('records which step failed and why at $.failure', () => {
    const { definition } = orderSaga();
    expect(stateOf(definition, 'createInvoice failed')).toEqual({
      Type: 'Pass',
      Parameters: {
        step: 'createInvoice',
        'reason.$':
          "States.Format('Step createInvoice failed with {}; the steps before it were compensated', $.error.Error)",
      },
      ResultPath: '$.failure',
      Next: 'Compensate chargePayment',
    });
  });

  it('invokes a compensation with the error and the failure, and discards its result', () => {
    const { definition, arnOf } = orderSaga();
    expect(stateOf(definition, 'Compensate chargePayment')).toMatchObject({
      Type: 'Task',
      Resource: arnOf('Refund'),
      Parameters: {
        'input.$': '$.input',
        'steps.$': '$.steps',
        'error.$': '$.error',
        'failure.$': '$.failure',
        saga: { 'executionName.$': '$$.Execution.Name', stepId: 'chargePayment' },
      },
      ResultPath: null,
    });
  });

  it('passes the failure handler the error and the failure, then fails with SagaFailed and the reason', () => {
    const { definition, arnOf } = orderSaga();
    expect(stateOf(definition, 'Handle failure')).toMatchObject({
      Resource: arnOf('Fail'),
      Parameters: {
        'input.$': '$.input',
        'steps.$': '$.steps',
        'failures.$': '$.failures',
        'error.$': '$.error',
        'failure.$': '$.failure',
        saga: { 'executionName.$': '$$.Execution.Name' },
      },
      ResultPath: null,
    });
    expect(stateOf(definition, 'SagaFailed')).toEqual({
      Type: 'Fail',
      Error: 'SagaFailed',
      CausePath: '$.failure.reason',
    });
  });

  it('goes from the compensations straight to SagaFailed without a failure handler', () => {
    const { definition } = orderSaga({ failureHandler: undefined });
    expect(failurePath(definition, 'chargePayment')).toEqual([
      'chargePayment failed',
      'Compensate reserveStock',
      'SagaFailed',
    ]);
  });

  it.each(['reserveStock', 'chargePayment', 'createInvoice'])(
    'sends a compensation of %s that still fails to SagaCompensationFailed, compensating nothing more',
    (stepId) => {
      const { definition } = orderSaga();
      expect(catchTarget(definition, `Compensate ${stepId}`)).toEqual({
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.compensationError',
        Next: `Compensate ${stepId} failed`,
      });
      expect(pathFrom(definition, `Compensate ${stepId} failed`)).toEqual([
        `Compensate ${stepId} failed`,
        'SagaCompensationFailed',
      ]);
      expect(stateOf(definition, `Compensate ${stepId} failed`)).toEqual({
        Type: 'Pass',
        Parameters: {
          step: stepId,
          'reason.$': `States.Format('Compensation of step ${stepId} failed with {}; the steps before it were not compensated', $.compensationError.Error)`,
        },
        ResultPath: '$.compensationFailure',
        Next: 'SagaCompensationFailed',
      });
    },
  );

  it('has no compensation failure path when no step has a compensation', () => {
    const stack = testStack();
    new Saga(stack, 'Saga', { steps: [{ id: 'notifyCrm', task: lambda(stack, 'Crm') }] });
    const definition = definitionOf(templateOf(stack));
    expect(Object.keys(definition.States).sort()).toEqual([
      'Prepare saga',
      'SagaFailed',
      'SagaSucceeded',
      'notifyCrm',
      'notifyCrm failed',
    ]);
  });

  it('ends a failed compensation in a Fail state of its own, for ops to alarm on', () => {
    const { definition } = orderSaga();
    expect(stateOf(definition, 'SagaCompensationFailed')).toEqual({
      Type: 'Fail',
      Error: 'SagaCompensationFailed',
      CausePath: '$.compensationFailure.reason',
    });
  });
});

describe('Saga definition: steps that may fail', () => {
  it('records the failure of a continue step at $.failures.<id> and goes on with the next step', () => {
    const { definition } = orderSaga();
    expect(catchTarget(definition, 'sendEmail')).toEqual({
      ErrorEquals: ['States.ALL'],
      ResultPath: '$.failures.sendEmail',
      Next: 'notifyCrm',
    });
    expect(stateOf(definition, 'sendEmail').Next).toBe('notifyCrm');
    expect(definition.States).not.toHaveProperty(['sendEmail failed']);
    expect(definition.States).not.toHaveProperty(['Compensate sendEmail']);
  });

  it('goes on to the success handler when the last step may fail', () => {
    const { definition } = orderSaga({}, { notifyCrm: { onFailure: 'continue' } });
    expect(catchTarget(definition, 'notifyCrm')).toEqual({
      ErrorEquals: ['States.ALL'],
      ResultPath: '$.failures.notifyCrm',
      Next: 'Handle success',
    });
  });
});

describe('Saga tasks that are not Lambda functions', () => {
  it('builds any task from a factory given its state name, result path and payload, and retries and catches it', () => {
    const stack = testStack();
    const bus = new EventBus(stack, 'Bus');
    const charge = lambda(stack, 'Charge');
    const saga = new Saga(stack, 'Saga', {
      steps: [
        {
          id: 'chargePayment',
          task: ({ scope, stateName, resultPath, payload }) =>
            new LambdaInvoke(scope, stateName, {
              lambdaFunction: charge,
              payload,
              retryOnServiceExceptions: false,
              resultSelector: { 'charge.$': '$.Payload' },
              resultPath,
            }),
        },
      ],
      failureHandler: ({ scope, stateName, resultPath }) =>
        new EventBridgePutEvents(scope, stateName, {
          entries: [
            {
              eventBus: bus,
              source: 'junction.orders',
              detailType: 'order.failed',
              detail: TaskInput.fromObject({ reason: JsonPath.stringAt('$.failure.reason') }),
            },
          ],
          resultPath,
        }),
    });
    const definition = definitionOf(templateOf(stack));
    expect(stateOf(definition, 'chargePayment')).toMatchObject({
      Resource: 'arn:AWS::Partition:states:::lambda:invoke',
      ResultPath: '$.steps.chargePayment',
      ResultSelector: { 'charge.$': '$.Payload' },
      Retry: [JITTERED_DEFAULT],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'chargePayment failed' }],
    });
    expect(stateOf(definition, 'Handle failure')).toMatchObject({
      Resource: 'arn:AWS::Partition:states:::events:putEvents',
      ResultPath: null,
      Retry: [JITTERED_DEFAULT],
      Next: 'SagaFailed',
    });
    expect(saga.invokedFunctions).toEqual([]);
  });
});

describe('Saga cdk-nag findings', () => {
  const findingsUnder = (saga: Saga, stack: Stack) =>
    [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack
        .validateScope(stack)
        .violations.filter((violation) =>
          violation.violatingResources.some((resource) =>
            resource.constructPath?.startsWith(`${saga.node.path}/`),
          ),
        )
        .map((violation) => violation.ruleName),
    );

  it('has findings of its own that only the acknowledgements clear', () => {
    const { saga, stack } = orderSaga();
    expect(findingsUnder(saga, stack)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Resource::*]',
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Charge[0-9A-F]{8}\.Arn>:\*\]$/),
      ]),
    );
    acknowledgeSagaNagFindings(saga);
    expect(findingsUnder(saga, stack)).toEqual([]);
  });

  it('gives Resource * only to X-Ray and log delivery actions, as its acknowledgement says', () => {
    const { saga, stack, template } = orderSaga();
    const role = stack.getLogicalId(saga.stateMachine.role.node.defaultChild as CfnElement);
    const statements = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    ).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const unscoped = statements
      .filter((statement) => statement.Resource === '*')
      .flatMap((statement) => [statement.Action].flat());
    expect(unscoped.length).toBeGreaterThan(0);
    for (const action of unscoped) {
      expect(action).toMatch(
        /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(\w+LogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/,
      );
    }
  });

  it('gives every saga acknowledgement a rule, the resources it covers and a reason', () => {
    for (const acknowledgement of SAGA_NAG_ACKNOWLEDGEMENTS) {
      expect(acknowledgement.resources.length).toBeGreaterThan(3);
      expect(acknowledgement.reason.length).toBeGreaterThan(40);
    }
    const { saga } = orderSaga();
    const rules = SAGA_NAG_ACKNOWLEDGEMENTS.flatMap((acknowledgement) => acknowledgement.rules(saga));
    for (const rule of rules) expect(rule).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
  });
});
