/**
 * A message that can never succeed, however often it is retried (it breaks its schema, or its
 * type is unknown). Queue consumers dead-letter it at once, with this error as the reason.
 */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly code = 'INVALID_EVENT',
  ) {
    super(message);
    this.name = new.target.name;
  }
}
