// Step Functions' own default interval before the first retry.
const DEFAULT_INTERVAL_SECONDS = 1;

interface Retrier {
  readonly IntervalSeconds?: number;
  readonly MaxDelaySeconds?: number;
}

interface ScalableState {
  readonly Retry?: readonly Retrier[];
  readonly Branches?: readonly { readonly States?: StateMap }[];
  readonly Iterator?: { readonly States?: StateMap };
  readonly ItemProcessor?: { readonly States?: StateMap };
}

/**
 * A copy of a definition whose retriers wait `timeScale` times as long: interval and maximum delay
 * scaled, backoff rate, attempts and jitter kept, so a scaled retry policy keeps its shape. (The
 * emulator's interval override would replace the backoff with one fixed interval.)
 */
export function scaledDefinition<D extends { States?: object }>(definition: D, timeScale: number): D {
  if (timeScale === 1) return definition;
  return { ...definition, States: scaleStates(definition.States as StateMap | undefined, timeScale) };
}

type StateMap = Record<string, ScalableState>;

// Builds new objects all the way down: a definition may share one retry list between states.
function scaleStates(states: StateMap | undefined, timeScale: number): StateMap | undefined {
  if (states === undefined) return undefined;
  const scaleNested = <T extends { readonly States?: StateMap }>(holder: T): T => ({
    ...holder,
    States: scaleStates(holder.States, timeScale),
  });
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => [
      name,
      {
        ...state,
        ...(state.Retry && {
          Retry: state.Retry.map((retrier) => ({
            ...retrier,
            IntervalSeconds: (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * timeScale,
            ...(retrier.MaxDelaySeconds !== undefined && {
              MaxDelaySeconds: retrier.MaxDelaySeconds * timeScale,
            }),
          })),
        }),
        ...(state.Branches && { Branches: state.Branches.map(scaleNested) }),
        ...(state.Iterator && { Iterator: scaleNested(state.Iterator) }),
        ...(state.ItemProcessor && { ItemProcessor: scaleNested(state.ItemProcessor) }),
      },
    ]),
  );
}
