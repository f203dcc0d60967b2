/**
 * JSON schemas of the web APIs: Fastify validates requests against them and the OpenAPI document
 * is generated from them, so the two cannot drift. Every string has a maximum length.
 */
import { APP_PASSWORD_SCOPES } from '../../identity/model.js';

const str = (maxLength: number, extra: Record<string, unknown> = {}) => ({ type: 'string', maxLength, ...extra }) as const;
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra }) as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDate = nullable('string', { format: 'date-time' });
const strings = (maxItems: number, maxLength: number) => ({ type: 'array', maxItems, items: str(maxLength) }) as const;

export const login = str(320, { minLength: 1 });
export const displayName = str(256);
export const password = str(1024, { minLength: 1 });
export const scopes = { type: 'array', minItems: 1, maxItems: APP_PASSWORD_SCOPES.length, uniqueItems: true, items: { type: 'string', enum: [...APP_PASSWORD_SCOPES] } } as const;

export const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
} as const;

export const okBody = { type: 'object', properties: { ok: { type: 'boolean' } } } as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: str(200),
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
  },
} as const;

export const userBody = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    login: { type: 'string' },
    mail: { type: 'string' },
    aliases: { type: 'array', items: { type: 'string' } },
    displayName: { type: 'string' },
    enabled: { type: 'boolean' },
    roles: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    hasPassword: { type: 'boolean' },
    passwordChangedAt: nullableDate,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

export const appPasswordBody = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdAt: dateTime,
    expiresAt: nullableDate,
    lastUsedAt: nullableDate,
    lastUsedProtocol: nullable('string'),
    lastUsedIp: nullable('string'),
  },
} as const;

export const newAppPassword = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: {
    name: str(128, { minLength: 1 }),
    scopes,
    /** Days from now; absent or null: no expiry. */
    expiresInDays: nullable('integer', { minimum: 1, maximum: 3650 }),
    _csrf: str(128),
  },
} as const;

export const createdAppPassword = {
  type: 'object',
  properties: { appPassword: appPasswordBody, secret: { type: 'string', description: 'shown once' } },
} as const;

export const groupBody = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    mail: nullable('string'),
    aliases: { type: 'array', items: { type: 'string' } },
    description: { type: 'string' },
    members: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const serviceAccountBody = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    enabled: { type: 'boolean' },
    createdAt: dateTime,
  },
} as const;

export const issuerFields = {
  name: str(128, { minLength: 1 }),
  issuer: str(512, { minLength: 1 }),
  audiences: strings(32, 512),
  jwksUri: nullable('string', { maxLength: 1024 }),
  algorithms: strings(16, 16),
  accountClaim: str(128, { minLength: 1 }),
  introspectionUrl: nullable('string', { maxLength: 1024 }),
  clientId: nullable('string', { maxLength: 256 }),
  leewaySeconds: { type: 'integer', minimum: 0, maximum: 3600 },
  enabled: { type: 'boolean' },
} as const;

export const issuerBody = {
  type: 'object',
  properties: { id: { type: 'string' }, ...issuerFields, hasClientSecret: { type: 'boolean' }, createdAt: dateTime, updatedAt: dateTime },
} as const;

export const auditBody = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: dateTime,
    actor: { type: 'string' },
    action: { type: 'string' },
    target: { type: 'string' },
    source: nullable('string'),
    detail: { type: 'object', additionalProperties: true },
  },
} as const;

export const listEntryBody = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    list: { type: 'string', enum: ['ban', 'allow'] },
    target: { type: 'object', additionalProperties: true },
    rule: { type: 'string' },
    reason: { type: 'string' },
    createdAt: dateTime,
    expiresAt: nullableDate,
    offences: { type: 'integer' },
  },
} as const;

export const loginRecordBody = {
  type: 'object',
  properties: {
    at: dateTime,
    protocol: { type: 'string' },
    frontEnd: { type: 'string' },
    clientIp: nullable('string'),
    success: { type: 'boolean' },
    detail: { type: 'string' },
  },
} as const;

export const arrayOf = (items: object) => ({ type: 'array', items }) as const;
export const pageOf = (items: object) =>
  ({ type: 'object', properties: { items: arrayOf(items), total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' } } }) as const;

/** Standard error answers every authenticated route may give, for the OpenAPI document. */
export const authErrors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody } as const;

export const idParams = (name: string, maxLength = 128) =>
  ({ type: 'object', required: [name], properties: { [name]: str(maxLength, { minLength: 1 }) } }) as const;
