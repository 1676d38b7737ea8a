import { connect } from '../db';
import { personaKeys, personaLabels, renderVisibility, seedFixture, visibilityMatrix } from '../demo';
import type { Logger } from '../log';
import { migrate } from '../migrate';
import { allTables } from '../schema';

/**
 * The main job: an embedded database, the migrations, a demo organisation (and a second one, to
 * show that nothing crosses tenants), then what each persona of organisation A can see.
 */
export async function runDemo(options: { log: Logger }): Promise<void> {
  const { log } = options;
  const steps = 4;
  const step = async <T>(n: number, what: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    log(`[${n}/${steps}] ${what}…`);
    const result = await fn();
    log(`[${n}/${steps}] ${what}: done in ${Math.round(performance.now() - started)} ms`);
    return result;
  };
  // Always a fresh in-memory database: the demo seeds fixed ids and must never touch real data.
  const database = await step(1, 'starting the embedded database (PGlite, in memory)', () => connect({ embedded: true }));
  try {
    await step(2, 'applying the migrations', () => migrate({ client: database.sql, log: (line) => log(`      ${line}`) }));
    const fixture = await step(3, 'seeding two demo organisations with every persona', () => seedFixture(database.sql));
    const personas = [
      ...personaKeys.map((key) => ({ key, userId: fixture.a.users[key], label: personaLabels[key] })),
      { key: 'anon', userId: null, label: 'anon' },
    ];
    const rows = await step(4, `asking ${personas.length} personas of "${fixture.a.name}" what they can see`, () =>
      visibilityMatrix(database.sql, allTables, personas, fixture.b.organizationId),
    );
    const leaked = rows.reduce((sum, r) => sum + r.leaked, 0);
    process.stdout.write(`\nRows visible to each persona of ${fixture.a.name} (– = no access at all):\n\n`);
    process.stdout.write(`${renderVisibility(rows, personas)}\n\n`);
    process.stdout.write(`Rows of the other organisation (${fixture.b.name}) visible to any of them: ${leaked}\n`);
  } finally {
    await database.close();
  }
}
