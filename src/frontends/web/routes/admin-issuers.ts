/** Admin API: trusted token issuers (JWTs verified against their JWKS, opaque tokens introspected). */
import type { FastifyInstance } from 'fastify';
import type { IssuerRequest, PublicIssuer } from '../../../identity/issuers.js';
import type { TrustedIssuerPatch } from '../../../store/store.js';
import { adminRoute } from '../admin-route.js';
import { actorOf } from '../principal.js';
import { arrayOf, errorBody, idParams, issuerBody, issuerFields, okBody } from '../schemas.js';
import type { WebState } from '../state.js';

const clientSecret = { type: ['string', 'null'], maxLength: 1024, description: 'write-only: never answered' } as const;

const wire = (i: PublicIssuer) => ({ ...i, createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString() });

export function registerAdminIssuers(scope: FastifyInstance, state: WebState): void {
  const { identity } = state.app;
  const tag = 'issuers';

  adminRoute(scope, state, {
    method: 'GET', url: '/issuers', role: 'auditor', tag, summary: 'Trusted token issuers (client secrets are never shown)',
    schema: { response: { 200: arrayOf(issuerBody) } },
    handler: async () => (await identity.listIssuers()).map(wire),
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/issuers', role: 'admin', tag, summary: 'Trust an issuer',
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name', 'issuer', 'accountClaim'], properties: { ...issuerFields, clientSecret } },
      response: { 201: issuerBody, 409: errorBody },
    },
    handler: async (request, reply) => reply.code(201).send(wire(await identity.addIssuer(request.body as IssuerRequest, actorOf(request, 'admin')))),
  });

  adminRoute(scope, state, {
    method: 'PATCH', url: '/issuers/:id', role: 'admin', tag, summary: 'Change an issuer (a null clientSecret removes it; an absent one keeps it)',
    schema: {
      params: idParams('id'),
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { ...issuerFields, clientSecret } },
      response: { 200: issuerBody, 409: errorBody },
    },
    handler: async (request) => wire(await identity.updateIssuer((request.params as { id: string }).id, request.body as TrustedIssuerPatch, actorOf(request, 'admin'))),
  });

  adminRoute(scope, state, {
    method: 'DELETE', url: '/issuers/:id', role: 'admin', tag, summary: 'Stop trusting an issuer',
    schema: { params: idParams('id'), response: { 200: okBody } },
    handler: async (request) => {
      await identity.deleteIssuer((request.params as { id: string }).id, actorOf(request, 'admin'));
      return { ok: true };
    },
  });
}
