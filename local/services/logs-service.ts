import type { LogStore } from '../runtime/log-store';
import { AwsError, jsonService, type ServiceHandler } from './aws-protocol';

/** The CloudWatch Logs reads the local cloud answers: log groups and their events. */
export function logsApi(logs: LogStore): ServiceHandler {
  return jsonService({
    DescribeLogGroups: (input) => ({
      logGroups: logs
        .groupNames()
        .filter(
          (name) =>
            input.logGroupNamePrefix === undefined || name.startsWith(String(input.logGroupNamePrefix)),
        )
        .map((logGroupName) => ({
          logGroupName,
          arn: `arn:aws:logs:local:000000000000:log-group:${logGroupName}:*`,
        })),
    }),
    FilterLogEvents: (input) => {
      const group = String(input.logGroupName ?? '');
      if (!logs.hasGroup(group)) {
        throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
      }
      // Filter patterns are matched as a quoted term: the text must appear in the message.
      const pattern =
        typeof input.filterPattern === 'string' ? input.filterPattern.replace(/^"|"$/g, '') : undefined;
      const events = logs.events(group, {
        startTime: input.startTime as number | undefined,
        endTime: input.endTime as number | undefined,
        contains: pattern === '' ? undefined : pattern,
        limit: (input.limit as number | undefined) ?? 10_000,
      });
      return {
        events: events.map((event, index) => ({
          logStreamName: event.logStreamName,
          timestamp: event.timestamp,
          ingestionTime: event.ingestionTime,
          message: event.message,
          eventId: `${event.timestamp}-${index}`,
        })),
        searchedLogStreams: [],
      };
    },
  });
}
