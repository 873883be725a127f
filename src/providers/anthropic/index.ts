/** The Anthropic Messages API provider; load with `await import()` so --demo never loads the SDK. */
export {
  createAnthropicProvider,
  type AnthropicProvider,
  type AnthropicProviderOptions,
} from './anthropic-provider.js';
export { missingKeyMessage, missingKeyError } from './error-mapping.js';
export { type RetryOptions, type Sleep } from './retry-policy.js';
