/**
 * Who may do what in the admin API. Roles are the user's `roles` in the store:
 *   auditor   reads everything (users, groups, credentials' metadata, bans, audit, dashboard)
 *   helpdesk  reads, and resets passwords, enables/disables users, manages their app passwords
 *   admin     everything, including roles, groups, service accounts, issuers, bans and allow-lists
 */
export const ADMIN_ROLES = ['auditor', 'helpdesk', 'admin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

const RANK: Record<AdminRole, number> = { auditor: 1, helpdesk: 2, admin: 3 };

/** The highest admin role among a user's roles, or null for an ordinary user. */
export function adminRoleOf(roles: readonly string[]): AdminRole | null {
  let best: AdminRole | null = null;
  for (const role of roles) {
    if ((ADMIN_ROLES as readonly string[]).includes(role)) {
      const r = role as AdminRole;
      if (best === null || RANK[r] > RANK[best]) best = r;
    }
  }
  return best;
}

export function hasRole(held: AdminRole | null, needed: AdminRole): boolean {
  return held !== null && RANK[held] >= RANK[needed];
}

/**
 * Helpdesk may act on ordinary users only: resetting an admin's password would be a way to become one.
 */
export function mayManageCredentials(held: AdminRole | null, targetRoles: readonly string[]): boolean {
  if (held === 'admin') return true;
  return held === 'helpdesk' && adminRoleOf(targetRoles) === null;
}
