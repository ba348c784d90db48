import { runbookLink } from '../../lib/observability/runbook';

describe('runbookLink', () => {
  it('points at a section of the repository runbook, or of the runbook a team names', () => {
    expect(runbookLink('dead-letters')).toBe('Runbook: docs/runbook.md#dead-letters');
    expect(runbookLink('circuit-open', 'https://wiki.example.com/junction')).toBe(
      'Runbook: https://wiki.example.com/junction#circuit-open',
    );
  });
});
