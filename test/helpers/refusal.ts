// The UsageError a call throws (exit 2); fails the test when it throws nothing or anything else.
import { expect } from 'vitest';
import { UsageError } from '../../src/errors.ts';

export function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a refusal');
}
