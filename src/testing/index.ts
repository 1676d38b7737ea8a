export { asUser, asAnon, asServiceRole, rolledBack, type JwtClaims, type UserIdentity } from './rls';
