export { seedFixture, fixtureStatements, personaKeys, personaLabels, type Fixture, type OrgFixture, type PersonaKey } from './fixture';
export { stableId } from './ids';
export { visibilityMatrix, renderVisibility, type TableVisibility, type VisibleCount } from './visibility';
