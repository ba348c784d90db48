import { tracer } from '../../../utils/observability/powertools';
import { inSubsegment } from '../../../utils/observability/subsegment';

function fakeSegment() {
  const opened: { name: string; closed: boolean; errors: unknown[]; metadata: Record<string, unknown> }[] =
    [];
  const segment = {
    addNewSubsegment(name: string) {
      const sub = {
        name,
        closed: false,
        errors: [] as unknown[],
        metadata: {} as Record<string, unknown>,
        close() {
          sub.closed = true;
        },
        addError(error: unknown) {
          sub.errors.push(error);
        },
        addMetadata(key: string, value: unknown) {
          sub.metadata[key] = value;
        },
      };
      opened.push(sub);
      return sub;
    },
  };
  return { segment, opened };
}

describe('inSubsegment', () => {
  afterEach(() => jest.restoreAllMocks());

  it('runs the work in a named subsegment of the current segment, then restores the segment', async () => {
    const { segment, opened } = fakeSegment();
    jest.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    jest.spyOn(tracer, 'getSegment').mockReturnValue(segment as never);
    const current: unknown[] = [];
    jest.spyOn(tracer, 'setSegment').mockImplementation((value) => {
      current.push(value);
    });
    await expect(
      inSubsegment('payment', { operation: 'create_charge' }, async () => 'charged'),
    ).resolves.toBe('charged');
    expect(opened).toEqual([
      expect.objectContaining({
        name: 'payment',
        closed: true,
        errors: [],
        metadata: { operation: 'create_charge' },
      }),
    ]);
    expect(current).toEqual([opened[0], segment]);
  });

  it('records the error on the subsegment and throws it on', async () => {
    const { segment, opened } = fakeSegment();
    jest.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    jest.spyOn(tracer, 'getSegment').mockReturnValue(segment as never);
    jest.spyOn(tracer, 'setSegment').mockImplementation(() => {});
    const failure = new Error('provider down');
    await expect(inSubsegment('payment', {}, async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(opened[0]).toMatchObject({ closed: true, errors: [failure] });
  });

  it('just runs the work when tracing is off', async () => {
    jest.spyOn(tracer, 'isTracingEnabled').mockReturnValue(false);
    const getSegment = jest.spyOn(tracer, 'getSegment');
    await expect(inSubsegment('payment', {}, async () => 1)).resolves.toBe(1);
    expect(getSegment).not.toHaveBeenCalled();
  });
});
