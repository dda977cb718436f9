// Errors are mapped to responses in one place: GOV.UK error pages for people, RFC 9457
// problem documents for the API. Unknown errors are logged with the correlation id and shown
// as a generic page: no stack traces, SQL or paths ever reach a response (security.md IO-8).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorKind } from './errors.js';

const pageCopy: Record<number, { heading: string; paragraphs: string[] }> = {
  400: {
    heading: 'There is a problem with your request',
    paragraphs: ['Check what you entered and try again.'],
  },
  401: { heading: 'You need to sign in', paragraphs: ['Sign in to continue.'] },
  403: {
    heading: 'You do not have permission to see this page',
    paragraphs: [
      'If you think you should, ask your team manager or system administrator to check your roles.',
    ],
  },
  404: {
    heading: 'Page not found',
    paragraphs: [
      'If you typed the web address, check it is correct.',
      'If you pasted the web address, check you copied the entire address.',
    ],
  },
  409: {
    heading: 'Someone else changed this record',
    paragraphs: [
      'Another person saved a change after you opened this page. Nothing you entered has been saved or lost: compare the versions below and try again.',
    ],
  },
  413: {
    heading: 'That was too large to upload',
    paragraphs: ['Send a smaller file or less text and try again.'],
  },
  415: {
    heading: 'That kind of content is not accepted',
    paragraphs: ['Use the form on the page to send information.'],
  },
  429: { heading: 'Too many attempts', paragraphs: ['Wait a few minutes, then try again.'] },
  500: {
    heading: 'Sorry, there is a problem with the service',
    paragraphs: ['Try again later. Anything you had already saved is safe.'],
  },
  503: { heading: 'Sorry, the service is unavailable', paragraphs: ['Try again later.'] },
};

const kindForStatus: Record<number, ErrorKind> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  428: 'precondition-required',
  429: 'too-many-requests',
  503: 'unavailable',
};

/** Translates Fastify's and plugins' own errors (body too large, bad JSON, CSRF) into ours. */
function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.code === 'FST_CSRF_INVALID_TOKEN' || fastifyError.code === 'FST_CSRF_MISSING_SECRET') {
    return new AppError(
      'forbidden',
      'This form has expired or did not come from Kindred. Go back, reload the page and try again.',
    );
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const kind = kindForStatus[status] ?? 'bad-request';
    return new AppError(kind, pageCopy[status]?.heading ?? 'There is a problem with your request');
  }
  return new AppError('internal', 'Sorry, there is a problem with the service.', { cause: error });
}

export function renderErrorPage(reply: FastifyReply, error: AppError): Promise<FastifyReply> {
  const copy = pageCopy[error.status] ?? pageCopy[500]!;
  const paragraphs =
    error.kind === 'internal'
      ? copy.paragraphs
      : [error.message, ...copy.paragraphs.slice(error.status === 404 ? 0 : 1)];
  return reply.code(error.status).view('pages/error.njk', {
    pageTitle: copy.heading,
    heading: copy.heading,
    paragraphs: [...new Set(paragraphs)],
    correlationId: error.status >= 500 ? reply.request.id : undefined,
    ...(error.detail ?? {}),
  });
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send({
      type: `https://kindred.invalid/problems/${error.kind}`,
      title: error.status >= 500 ? 'Internal error' : error.message,
      status: error.status,
      ...(error.fieldErrors.length ? { errors: error.fieldErrors } : {}),
      correlationId: reply.request.id,
    });
}

export function registerErrorHandling(
  app: FastifyInstance,
  options: { isApiRequest(request: FastifyRequest): boolean },
): void {
  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      request.log.error({ err: error, correlationId: request.id }, 'request failed');
    } else {
      request.log.info({ status: appError.status, kind: appError.kind }, 'request refused');
    }
    if (options.isApiRequest(request)) return sendProblem(reply, appError);
    try {
      return await renderErrorPage(reply, appError);
    } catch (renderError) {
      // The last-resort handler: even the error page failed to render.
      request.log.error({ err: renderError }, 'error page failed to render');
      return reply
        .code(appError.status)
        .type('text/plain; charset=utf-8')
        .send(`${appError.status}: ${pageCopy[appError.status]?.heading ?? 'Error'}`);
    }
  });

  app.setNotFoundHandler(async (request, reply) => {
    const error = new AppError('not-found', 'We could not find that page.');
    if (options.isApiRequest(request)) return sendProblem(reply, error);
    return renderErrorPage(reply, error);
  });
}
