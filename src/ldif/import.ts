/**
 * LDIF import: OpenCloud IDM and OpenLDAP exports into Portcullis, in one transaction.
 * Users keep their ids (openCloudUUID / entryUUID) and password hashes; any error rolls the
 * whole import back, and a dry run does everything and then rolls back.
 */
import type { Actor, IdentityService } from '../identity/service.js';
import { domainOf } from '../identity/validate.js';
import { planImport } from './classify.js';
import type { ImportPlan } from './classify.js';
import { LdifError, parseLdif } from './parse.js';
import type { LdifRecord } from './parse.js';

export interface ImportOptions {
  /** Recorded in the audit log, e.g. `cli:root`. */
  actor: string;
  /** Where the import came from, e.g. `cli` or a client IP. */
  source: string | null;
  /** For users without a mail: their address becomes `<uid>@<defaultDomain>`. */
  defaultDomain?: string;
  /** Check everything against the store, then roll back. */
  dryRun?: boolean;
}

export interface ImportResult {
  /** Domains created (those that already existed are not listed). */
  domains: string[];
  /** Logins of the imported users, in file order. */
  users: string[];
  /** Names of the imported groups, in file order. */
  groups: string[];
  memberships: number;
  skipped: Array<{ dn: string; why: string }>;
  dryRun: boolean;
}

/** Thrown inside the transaction to roll a dry run back, carrying its result out. */
class DryRunRollback extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run: rolled back');
  }
}

export async function importLdif(identity: IdentityService, text: string, options: ImportOptions): Promise<ImportResult> {
  const plan = planImport(parseLdif(text), options.defaultDomain !== undefined ? { defaultDomain: options.defaultDomain } : {});
  const by: Actor = { actor: options.actor, source: options.source };
  const dryRun = options.dryRun ?? false;
  try {
    return await identity.store.transaction(async (tx) => {
      const result = await apply(identity.withStore(tx), plan, by, dryRun);
      await tx.appendAudit({
        ...by,
        action: 'ldif.import',
        target: 'ldif',
        detail: { domains: result.domains, users: result.users.length, groups: result.groups.length, memberships: result.memberships, skipped: result.skipped.length },
      });
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
}

async function apply(svc: IdentityService, plan: ImportPlan, by: Actor, dryRun: boolean): Promise<ImportResult> {
  const result: ImportResult = { domains: [], users: [], groups: [], memberships: 0, skipped: plan.skipped, dryRun };
  const addresses = [
    ...plan.users.flatMap((u) => [u.mail, ...u.aliases]),
    ...plan.groups.flatMap((g) => (g.mail ? [g.mail, ...g.aliases] : g.aliases)),
  ];
  for (const domain of [...new Set(addresses.map(domainOf))].sort()) {
    if (await svc.store.getDomain(domain)) continue;
    await svc.addDomain(domain, by);
    result.domains.push(domain);
  }
  for (const user of plan.users) {
    await atRecord(user.record, () =>
      svc.addUser(
        {
          mail: user.mail,
          login: user.login,
          displayName: user.displayName,
          aliases: user.aliases,
          enabled: user.enabled,
          passwordHash: user.passwordHash,
          ...(user.id ? { id: user.id } : {}),
        },
        by,
      ),
    );
    result.users.push(user.login);
  }
  for (const group of plan.groups) {
    await atRecord(group.record, () =>
      svc.addGroup({ name: group.name, mail: group.mail, aliases: group.aliases, description: group.description, ...(group.id ? { id: group.id } : {}) }, by),
    );
    result.groups.push(group.name);
    for (const member of group.members) {
      const user = plan.usersByDn.get(member.key);
      if (!user) throw new LdifError(member.line, group.record.dn, `member "${member.dn}" is not a user in this file`);
      await atRecord(group.record, () => svc.setMembership(group.name, user.login, true, by), member.line);
      result.memberships++;
    }
  }
  return result;
}

/** Runs a store write for one record; a failure (e.g. an address already taken) names the record. */
async function atRecord<T>(record: LdifRecord, fn: () => Promise<T>, line = record.line): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof LdifError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new LdifError(line, record.dn, message, { cause: error });
  }
}
