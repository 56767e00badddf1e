import { limits } from '../../../shared/tracking';
import { invalidParameter } from './errors';

/**
 * The size limits MLflow's server enforces (MLFLOW.md §1), which are also Trainyard's own
 * (`shared/tracking.ts` limits). Keys are otherwise free-form, as they are in Trainyard.
 */
export function checkKey(key: string, what = 'key'): string {
  if (key.length > limits.keyLength) {
    throw invalidParameter(`The ${what} '${key.slice(0, 40)}…' is ${key.length} characters long; the limit is ${limits.keyLength}.`);
  }
  return key;
}

export function checkParamValue(key: string, value: string): string {
  if (value.length > limits.paramValueLength) {
    throw invalidParameter(`Param '${key}' has a value of ${value.length} characters; the limit is ${limits.paramValueLength}.`);
  }
  return value;
}

export function checkTagValue(value: string, key = ''): string {
  if (value.length > limits.tagValueLength) {
    throw invalidParameter(`Tag${key ? ` '${key}'` : ''} has a value of ${value.length} characters; the limit is ${limits.tagValueLength}.`);
  }
  return value;
}
