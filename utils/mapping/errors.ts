import { InvalidEventError } from '../messaging/errors';

/**
 * A mapping spec that cannot compile. Thrown at synth and by `npm run mapping -- check`, it says
 * where: the file, the location in the spec (`transformations[2].formula`) and what was expected.
 */
export class MappingSpecError extends Error {
  constructor(
    readonly file: string | undefined,
    readonly location: string,
    readonly detail: string,
  ) {
    super(`${file ?? '(mapping spec)'}: ${location}: ${detail}`);
    this.name = 'MappingSpecError';
  }
}

/**
 * A record the mapping cannot map (a required field missing, a formula on a non-number). It is an
 * InvalidEventError: retrying cannot help, so a queue consumer dead-letters the record at once,
 * with this message as the reason.
 */
export class MappingError extends InvalidEventError {
  constructor(
    readonly mapping: string,
    readonly transformation: number,
    readonly target: string,
    /** The input field at fault, with concrete indexes: `order.items[1].quantity`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(
      `Mapping ${mapping} failed at transformation ${transformation} (${target}): ${field}: ${reason}`,
      'MAPPING_FAILED',
    );
  }
}
