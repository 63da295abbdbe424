// Reads the JSON input of a call and checks it the way the service model does, answering
// InvalidParameterException in AWS's wording for a missing or malformed member.
import { validationError } from './errors';

export type Input = Readonly<Record<string, unknown>>;

export function requiredString(input: Input, field: string, pattern?: RegExp): string {
  const value = input[field];
  if (value === undefined || value === null) throw validationError(field, undefined, 'Member must not be null');
  if (typeof value !== 'string') throw validationError(field, value, 'Member must be a string');
  if (pattern !== undefined && !pattern.test(value)) {
    throw validationError(field, value, `Member must satisfy regular expression pattern: ${pattern.source}`);
  }
  return value;
}

export function optionalString(input: Input, field: string, pattern?: RegExp): string | undefined {
  return input[field] === undefined || input[field] === null ? undefined : requiredString(input, field, pattern);
}

/** A whole number (long) within the model's range. */
export function requiredInteger(input: Input, field: string, min: number, max: number): number {
  const value = input[field];
  if (value === undefined || value === null) throw validationError(field, undefined, 'Member must not be null');
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw validationError(field, value, 'Member must be a number');
  if (value < min) throw validationError(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalInteger(input: Input, field: string, min: number, max: number): number | undefined {
  return input[field] === undefined || input[field] === null ? undefined : requiredInteger(input, field, min, max);
}

export function optionalBoolean(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(field, value, 'Member must be a boolean');
  return value;
}

export function optionalEnum<T extends string>(input: Input, field: string, allowed: readonly T[]): T | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw validationError(field, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

/** Epoch milliseconds; the model's range for timestamps. */
export const requiredTime = (input: Input, field: string) => requiredInteger(input, field, 0, Number.MAX_SAFE_INTEGER);

export const optionalTime = (input: Input, field: string) => optionalInteger(input, field, 0, Number.MAX_SAFE_INTEGER);
