import { ConfigValidationError } from '@/config/config-validation.error';
import { loadConfig } from '@/config/load-config';

/** The problems loadConfig lists for this environment (fails the test if it accepts it). */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}
