import type { z } from 'zod';
import { AppError, type FieldIssue } from './errors.ts';

/** Turn zod issues into field messages a person can act on. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/** One validation error naming every field to fix. */
export function validationError(error: z.ZodError): AppError {
  const fields = fieldIssues(error);
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new AppError('validation_failed', `Please fix: ${summary}`, fields);
}
