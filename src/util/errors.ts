/**
 * Two kinds of failure, told apart at the CLI's edge:
 * a UserError is something the user can fix (bad flag, missing file): printed as one line, exit 2, no stack;
 * anything else is a bug in iw: printed with its stack, exit 1.
 */
export class UserError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Formats a value for an error message: strings quoted, the rest as JSON. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}
