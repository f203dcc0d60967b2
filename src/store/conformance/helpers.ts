/** Shared fixtures for the conformance suite. */
import assert from 'node:assert/strict';
import type { Group, User } from '../../identity/model.js';
import { StoreConflictError, StoreNotFoundError, type IdentityStore, type NewGroup, type NewUser } from '../store.js';

export interface Fixture {
  readonly store: IdentityStore;
}

export function newUser(login: string, extra: Partial<NewUser> = {}): NewUser {
  return { login, domain: 'example.org', mail: `${login}@example.org`, displayName: login.toUpperCase(), passwordHash: `hash-${login}`, ...extra };
}

export function addUser(store: IdentityStore, login: string, extra: Partial<NewUser> = {}): Promise<User> {
  return store.createUser(newUser(login, extra));
}

export function addGroup(store: IdentityStore, name: string, extra: Partial<NewGroup> = {}): Promise<Group> {
  return store.createGroup({ name, domain: 'example.org', mail: `${name}@example.org`, ...extra });
}

export async function rejectsConflict(work: Promise<unknown>, field: string, value?: string): Promise<void> {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof StoreConflictError, `expected StoreConflictError, got ${String(err)}`);
    assert.equal(err.field, field);
    if (value !== undefined) assert.equal(err.value, value);
    return true;
  });
}

export async function rejectsNotFound(work: Promise<unknown>, entity?: string): Promise<void> {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof StoreNotFoundError, `expected StoreNotFoundError, got ${String(err)}`);
    if (entity !== undefined) assert.equal(err.entity, entity);
    return true;
  });
}

/** Timestamps must move forward between two writes even on a fast machine. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
