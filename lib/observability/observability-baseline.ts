import { Aspects, Duration, type IAspect, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, Dashboard, type IWidget, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';
import { serviceForThisAccount } from '../security/service-principals';

export interface ObservabilityBaselineProps {
  /** What happens to the topic's key when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/** Makes an alarm notify the topic when it fires and when it recovers. */
class NotifyTopic implements IAspect {
  private readonly action: SnsAction;

  constructor(topic: Topic) {
    this.action = new SnsAction(topic);
  }

  visit(node: IConstruct): void {
    if (node instanceof Alarm) {
      node.addAlarmAction(this.action);
      node.addOkAction(this.action);
    }
  }
}

/**
 * The alarm topic that every alarm in the scope notifies (attached by an aspect, so no alarm is
 * forgotten) and the operations dashboard that the flows add sections to.
 */
export class ObservabilityBaseline extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityBaselineProps = {}) {
    super(scope, id);
    const key = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the Junction alarm topic',
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Junction alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, so CloudWatch must be allowed to publish (and to
    // use the key) explicitly.
    this.alarmTopic.grantPublish(serviceForThisAccount(this, 'cloudwatch.amazonaws.com'));
    Aspects.of(scope).add(new NotifyTopic(this.alarmTopic));

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '# Junction\nOrder intake: API → ingest-order → bus → analytics queue → consumer.',
        width: 24,
        height: 2,
      }),
    );
  }

  /** Adds a titled row of widgets to the dashboard. */
  addSection(title: string, widgets: readonly IWidget[]): void {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }
}
