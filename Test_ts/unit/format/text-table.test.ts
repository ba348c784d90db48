import { textTable } from '../../../utils/format/text-table';

describe('textTable', () => {
  it('pads every column to its widest cell, two spaces apart, with no trailing spaces', () => {
    expect(
      textTable(
        ['queue', 'depth'],
        [
          ['AnalyticsQueueDeadLetters', 3],
          ['Saga', 12],
        ],
      ),
    ).toBe(
      [
        'queue                      depth',
        'AnalyticsQueueDeadLetters  3',
        'Saga                       12',
      ].join('\n'),
    );
  });

  it('prints a missing cell as empty, and the header alone when there are no rows', () => {
    expect(textTable(['a', 'b'], [['long value']])).toBe('a           b\nlong value');
    expect(textTable(['only', 'header'], [])).toBe('only  header');
  });
});
