/**
 * An error as AWS names it. Handlers throw these; the protocol front that received the request
 * turns them into that protocol's envelope, so no handler formats an error by hand.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    /** Extra members of the error shape, serialised beside code and message. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** Query and REST-XML protocols say whose fault it was. */
  get fault(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

export function isAwsError(err: unknown): err is AwsError {
  return err instanceof AwsError;
}

/** What any unexpected failure becomes on the wire: never a stack trace, never a crash. */
export function internalError(): AwsError {
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}
