/**
 * The sentence an alarm description ends with: the runbook section that says what the alarm
 * means and what to do. `runbookUrl` is where a team keeps its copy of docs/runbook.md.
 */
export const runbookLink = (section: string, runbookUrl = 'docs/runbook.md') =>
  `Runbook: ${runbookUrl}#${section}`;
