/** Admin API: trusted token issuers (S5/S7: JWTs verified against their JWKS). */
import type { FastifyInstance } from 'fastify';
import type { NewTrustedIssuer, TrustedIssuerPatch } from '../../../store/store.js';
import { adminRoute } from '../admin-route.js';
import { IssuerAdmin } from '../issuer-admin.js';
import { actorOf } from '../principal.js';
import { publicIssuer } from '../public.js';
import { arrayOf, errorBody, idParams, issuerBody, issuerFields, okBody } from '../schemas.js';
import type { WebState } from '../state.js';

const clientSecret = { type: ['string', 'null'], maxLength: 1024, description: 'write-only' } as const;

export function registerAdminIssuers(scope: FastifyInstance, state: WebState): void {
  const issuers = new IssuerAdmin(state.app.store);
  const tag = 'issuers';

  adminRoute(scope, state, {
    method: 'GET', url: '/issuers', role: 'auditor', tag, summary: 'Trusted token issuers (client secrets are never shown)',
    schema: { response: { 200: arrayOf(issuerBody) } },
    handler: async () => (await state.app.store.listTrustedIssuers()).map(publicIssuer),
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/issuers', role: 'admin', tag, summary: 'Trust an issuer',
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name', 'issuer', 'accountClaim'], properties: { ...issuerFields, clientSecret } },
      response: { 201: issuerBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const body = request.body as Partial<NewTrustedIssuer> & Pick<NewTrustedIssuer, 'name' | 'issuer' | 'accountClaim'>;
      const input: NewTrustedIssuer = {
        audiences: [], jwksUri: null, algorithms: [], introspectionUrl: null, clientId: null, clientSecret: null, leewaySeconds: 60, enabled: true,
        ...body,
      };
      return reply.code(201).send(publicIssuer(await issuers.create(input, actorOf(request, 'admin'))));
    },
  });

  adminRoute(scope, state, {
    method: 'PATCH', url: '/issuers/:id', role: 'admin', tag, summary: 'Change an issuer',
    schema: {
      params: idParams('id'),
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { ...issuerFields, clientSecret } },
      response: { 200: issuerBody, 409: errorBody },
    },
    handler: async (request) => publicIssuer(await issuers.update((request.params as { id: string }).id, request.body as TrustedIssuerPatch, actorOf(request, 'admin'))),
  });

  adminRoute(scope, state, {
    method: 'DELETE', url: '/issuers/:id', role: 'admin', tag, summary: 'Stop trusting an issuer',
    schema: { params: idParams('id'), response: { 200: okBody } },
    handler: async (request) => {
      await issuers.remove((request.params as { id: string }).id, actorOf(request, 'admin'));
      return { ok: true };
    },
  });
}
