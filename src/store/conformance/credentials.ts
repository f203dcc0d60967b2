/** Conformance: service accounts, app passwords and trusted issuers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewTrustedIssuer } from '../store.js';
import { addUser, rejectsConflict, rejectsNotFound, tick, type Fixture } from './helpers.js';

const NO_ID = '00000000-0000-4000-8000-000000000000';

const issuer = (name: string, extra: Partial<NewTrustedIssuer> = {}): NewTrustedIssuer => ({
  name,
  issuer: `https://${name}.example.org`,
  audiences: ['portcullis'],
  jwksUri: null,
  algorithms: ['RS256'],
  accountClaim: 'preferred_username',
  introspectionUrl: null,
  clientId: null,
  clientSecret: null,
  leewaySeconds: 30,
  enabled: true,
  ...extra,
});

export function credentialTests(fx: Fixture): void {
  describe('service accounts', () => {
    it('creates, finds, updates and deletes', async () => {
      const sa = await fx.store.createServiceAccount({ name: 'Stalwart', passwordHash: 'h', roles: ['directory-read'] });
      assert.equal(sa.name, 'stalwart');
      assert.equal(sa.enabled, true);
      assert.equal(sa.credentialVersion, 0);
      assert.deepEqual(await fx.store.findServiceAccount('STALWART'), sa);
      await rejectsConflict(fx.store.createServiceAccount({ name: 'stalwart', passwordHash: 'x', roles: [] }), 'service account', 'stalwart');
      await addUser(fx.store, 'dovecot');
      const dc = await fx.store.createServiceAccount({ name: 'dovecot', passwordHash: 'h', roles: [], description: 'IMAP' });
      assert.equal(dc.description, 'IMAP', 'names are unique per kind: a user may share it');
      assert.deepEqual((await fx.store.listServiceAccounts()).map((s) => s.name), ['dovecot', 'stalwart']);
      await tick();
      const a = await fx.store.updateServiceAccount(sa.id, { description: 'mail', roles: ['directory-read', 'impersonate'] });
      assert.equal(a.credentialVersion, 0);
      assert.deepEqual(a.roles, ['directory-read', 'impersonate']);
      assert.ok(a.updatedAt > sa.updatedAt);
      const b = await fx.store.updateServiceAccount(sa.id, { passwordHash: 'h2' });
      assert.equal(b.passwordHash, 'h2');
      assert.equal(b.credentialVersion, 1);
      const c = await fx.store.updateServiceAccount(sa.id, { enabled: false });
      assert.equal(c.enabled, false);
      assert.equal(c.credentialVersion, 2);
      assert.deepEqual(await fx.store.findServiceAccount('stalwart'), c);
      await rejectsNotFound(fx.store.updateServiceAccount(NO_ID, { description: 'x' }), 'service account');
      await fx.store.deleteServiceAccount(sa.id);
      assert.equal(await fx.store.findServiceAccount('stalwart'), null);
      await rejectsNotFound(fx.store.deleteServiceAccount(sa.id), 'service account');
    });
  });

  describe('app passwords', () => {
    it('creates, lists and gets app passwords', async () => {
      const u = await addUser(fx.store, 'alice');
      const expiresAt = new Date('2030-01-01T00:00:00.000Z');
      const ap = await fx.store.createAppPassword({ userId: u.id, name: 'phone', scopes: ['imap', 'smtp'], hash: 'h', expiresAt });
      assert.deepEqual(ap.scopes, ['imap', 'smtp']);
      assert.deepEqual(ap.expiresAt, expiresAt);
      assert.equal(ap.lastUsedAt, null);
      assert.deepEqual(await fx.store.getAppPassword(ap.id), ap);
      await tick();
      const laptop = await fx.store.createAppPassword({ userId: u.id, name: 'laptop', scopes: ['dav'], hash: 'h2' });
      assert.equal(laptop.expiresAt, null);
      assert.deepEqual((await fx.store.listAppPasswords(u.id)).map((a) => a.name), ['phone', 'laptop']);
      await rejectsConflict(fx.store.createAppPassword({ userId: u.id, name: 'phone', scopes: [], hash: 'x' }), 'app password', 'phone');
      await rejectsNotFound(fx.store.createAppPassword({ userId: NO_ID, name: 'x', scopes: [], hash: 'x' }), 'user');
      assert.equal(await fx.store.getAppPassword(NO_ID), null);
      assert.equal((await fx.store.getUser(u.id))?.credentialVersion, 0, 'adding one is not a credential change');
    });

    it('touch records last use without bumping updatedAt or credentialVersion', async () => {
      const u = await addUser(fx.store, 'alice');
      const ap = await fx.store.createAppPassword({ userId: u.id, name: 'phone', scopes: ['imap'], hash: 'h' });
      const at = new Date('2025-05-05T05:05:05.555Z');
      await tick();
      await fx.store.touchAppPassword(ap.id, { at, protocol: 'imap', ip: '192.0.2.7' });
      const got = await fx.store.getAppPassword(ap.id);
      assert.deepEqual(got?.lastUsedAt, at);
      assert.equal(got?.lastUsedProtocol, 'imap');
      assert.equal(got?.lastUsedIp, '192.0.2.7');
      assert.deepEqual(await fx.store.getUser(u.id), u);
      await fx.store.touchAppPassword(NO_ID, { at, protocol: 'imap', ip: null }); // gone: a no-op
    });

    it('revoke deletes it and bumps the owner\'s credentialVersion', async () => {
      const u = await addUser(fx.store, 'alice');
      const ap = await fx.store.createAppPassword({ userId: u.id, name: 'phone', scopes: ['imap'], hash: 'h' });
      await fx.store.revokeAppPassword(ap.id);
      assert.equal(await fx.store.getAppPassword(ap.id), null);
      assert.equal((await fx.store.getUser(u.id))?.credentialVersion, 1);
      await rejectsNotFound(fx.store.revokeAppPassword(ap.id), 'app password');
      assert.equal((await fx.store.getUser(u.id))?.credentialVersion, 1);
    });
  });

  describe('trusted issuers', () => {
    it('creates, lists, updates and deletes', async () => {
      const kc = await fx.store.createTrustedIssuer(issuer('keycloak', { audiences: ['a', 'b'], clientSecret: 's' }));
      assert.deepEqual(kc.audiences, ['a', 'b']);
      assert.equal(kc.clientSecret, 's');
      await rejectsConflict(fx.store.createTrustedIssuer(issuer('other', { issuer: kc.issuer })), 'issuer', kc.issuer);
      const az = await fx.store.createTrustedIssuer(issuer('authentik'));
      assert.deepEqual(await fx.store.listTrustedIssuers(), [az, kc]);
      await tick();
      const k2 = await fx.store.updateTrustedIssuer(kc.id, { leewaySeconds: 5, enabled: false, jwksUri: 'https://k/jwks', clientSecret: undefined });
      assert.equal(k2.leewaySeconds, 5);
      assert.equal(k2.enabled, false);
      assert.equal(k2.jwksUri, 'https://k/jwks');
      assert.equal(k2.clientSecret, 's', 'undefined in a patch leaves the field alone');
      assert.ok(k2.updatedAt > kc.updatedAt);
      await rejectsConflict(fx.store.updateTrustedIssuer(kc.id, { issuer: az.issuer }), 'issuer', az.issuer);
      await rejectsNotFound(fx.store.updateTrustedIssuer(NO_ID, { name: 'x' }));
      await fx.store.deleteTrustedIssuer(kc.id);
      assert.deepEqual(await fx.store.listTrustedIssuers(), [az]);
      await rejectsNotFound(fx.store.deleteTrustedIssuer(kc.id));
    });
  });
}
