/**
 * The public entry for custom authentication. Customers implement `CustomerBackend` and export a
 * `BackendFactory`; HTTP delegates check requests with `verifySignature`. Portcullis itself uses
 * `buildBackendChain` (composition root) and the pipeline's `AuthBackend` (the internal port).
 */
export type { BackendAccount, BackendEnv, BackendFactory, CustomerBackend, ListQuery, VerifyContext, VerifyResult } from './api.js';
export { BackendConfigError, BackendUnavailableError } from './errors.js';
export { verifySignature, sign as signBody } from './http-delegate/signature.js';
export { CustomerBackendAdapter, type AdapterOptions } from './adapter/adapter.js';
export { buildBackendChain, type BuildDeps } from './build.js';
export { isShadowRecord } from '../identity/shadow-record.js';
export type { AccountQuery, AuthBackend, BackendResult } from '../pipeline/ports.js';
