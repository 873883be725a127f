/** The model-provider port and its vocabulary (pure). */
export type * from './types.js';
export {
  ProviderError,
  isProviderError,
  isRetryableKind,
  type ProviderErrorKind,
  type ProviderErrorOptions,
} from './provider-error.js';
