import { problemOf, problemResponse } from './http.ts';
import { log, type LogFields } from './log.ts';

/** What one request's log line says, filled in by the handler as it learns it (user, subscription). */
export interface RequestContext {
  readonly requestId: string;
  readonly fields: LogFields;
}

/**
 * `Deno.serve` with what every function here does around its handler: a request id (the caller's
 * `x-request-id` or a new one), errors turned into answers by `problemOf` (401/403 for tokens, the
 * database's refusals by kind, 500 otherwise), and one structured log line per request.
 */
export function serveFunction(name: string, handle: (request: Request, context: RequestContext) => Promise<Response>): void {
  Deno.serve(async (request) => {
    const started = performance.now();
    const context: RequestContext = { requestId: request.headers.get('x-request-id') ?? crypto.randomUUID(), fields: {} };
    let response: Response;
    try {
      response = await handle(request, context);
    } catch (error) {
      const problem = problemOf(error);
      response = problemResponse(problem);
      if (problem.status >= 500) {
        // The name and SQLSTATE only: a driver's message can carry the query's parameters.
        log('error', 'request_failed', { request_id: context.requestId, function: name, error: error instanceof Error ? error.name : 'unknown', code: problem.code });
      } else {
        log('info', 'request_refused', { request_id: context.requestId, function: name, status: problem.status, reason: problem.error, code: problem.code, constraint: problem.constraint, field: problem.field });
      }
    }
    log('info', 'request', { request_id: context.requestId, function: name, method: request.method, status: response.status, ...context.fields, duration_ms: Math.round(performance.now() - started) });
    return response;
  });
}
