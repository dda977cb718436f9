// One error type for the whole application. Its message is always safe to show to a user;
// anything else that goes wrong is logged with the correlation id and shown as a generic page.

const statusByKind = {
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  unprocessable: 422,
  'precondition-required': 428,
  'too-many-requests': 429,
  unavailable: 503,
  /** Startup and command-line problems: bad settings, unusable data directory. */
  config: 500,
  internal: 500,
} as const;

export type ErrorKind = keyof typeof statusByKind;

export interface FieldError {
  /** The form field or JSON path the message is about, e.g. "email" or "members[2].laCode". */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly fieldErrors: FieldError[];
  /** Extra, user-safe detail for the page or problem document (e.g. both versions on a 409). */
  readonly detail: Record<string, unknown> | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { fieldErrors?: FieldError[]; detail?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.status = statusByKind[kind];
    this.fieldErrors = options.fieldErrors ?? [];
    this.detail = options.detail;
  }
}

export const notFound = (what = 'page'): AppError =>
  new AppError('not-found', `We could not find that ${what}.`);
export const forbidden = (): AppError => new AppError('forbidden', 'You do not have permission to do that.');
export const unauthenticated = (): AppError => new AppError('unauthenticated', 'Sign in to continue.');

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
