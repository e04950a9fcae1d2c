// The typed errors of the service. Domain code throws these; http/errors.ts maps them to HTTP
// status codes in one place, and tools turn them into results the model can explain.
export type ErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'invalid'
  | 'conflict'
  | 'unavailable'
  | 'payload_too_large'
  | 'rate_limited';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends AppError {
  constructor(what: string, details?: unknown) {
    super('not_found', `${what} not found`, details);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'not allowed', details?: unknown) {
    super('forbidden', message, details);
  }
}
export class Unauthorized extends AppError {
  constructor(message = 'missing or invalid token') {
    super('unauthorized', message);
  }
}
export class Invalid extends AppError {
  constructor(message: string, details?: unknown) {
    super('invalid', message, details);
  }
}
export class Conflict extends AppError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}
export class Unavailable extends AppError {
  constructor(message = 'service temporarily unavailable', details?: unknown) {
    super('unavailable', message, details);
  }
}
