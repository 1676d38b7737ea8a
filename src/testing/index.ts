export { asUser, asAnon, asServiceRole, rolledBack, type JwtClaims, type UserIdentity } from './rls';
// The demo data set (two organisations, every persona): fixtures for an app's own policy tests.
export { seedFixture, personaKeys, type Fixture, type OrgFixture, type PersonaKey } from '../demo';
