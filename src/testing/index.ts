export { asUser, asAnon, asServiceRole, type JwtClaims, type UserIdentity } from './rls';
