import { labelOf } from '../../../utils/ops/labels';

describe('labelOf', () => {
  it('names queues by the part a person reads', () => {
    expect(labelOf('Junction-prod-AnalyticsQueueDeadLettersQueue1A2B3C4D-Ab12Cd34Ef56')).toBe(
      'AnalyticsQueueDeadLetters',
    );
    expect(labelOf('Junction-prod-OrderEventsToAnalyticsDeadLettersQueue9F8E7D6C-Zz99Yy88Xx77')).toBe(
      'OrderEventsToAnalyticsDeadLetters',
    );
  });
});
