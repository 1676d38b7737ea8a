import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths';
import { SCHEMA_DOCUMENT_PATH, schemaAreas } from '../src/schema';
import { embeddedPassOnly } from './support/backend';

/**
 * docs/schema.md is for people: its diagrams are rendered by Mermaid in a real browser (headless
 * Chromium, as GitHub renders them in one), and none may fail to render. Chromium comes from Debian
 * (`apt-get install chromium`, done by .ci/run); without it the test is skipped with that reason.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const reason = existsSync(chromium) ? undefined : `no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`;
if (reason) console.warn(`schema diagrams: ${reason}; rendering skipped`);

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const dir = mkdtempSync(join(tmpdir(), 'therapy-db-mermaid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(reason !== undefined || embeddedPassOnly('schema-document.render.test.ts'))('the schema diagrams render in a browser', () => {
  it('renders every area diagram with Mermaid in headless Chromium, with every table drawn and no error', () => {
    const document = readFileSync(join(packageRoot(), SCHEMA_DOCUMENT_PATH), 'utf8');
    const blocks = [...document.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(schemaAreas.length);
    const mermaid = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
    const page = join(dir, 'schema.html');
    writeFileSync(
      page,
      `<!doctype html><html><body>
<script src="file://${mermaid}"></script>
${blocks.map((b, i) => `<pre class="mermaid" id="area-${i}">${escapeHtml(b)}</pre>`).join('\n')}
<script>
// One render per diagram with its own id (mermaid.run() derives ids from the clock, which headless
// Chromium's virtual time freezes, so diagrams would overwrite each other).
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
(async () => {
  const blocks = [...document.querySelectorAll('pre.mermaid')];
  for (const [i, pre] of blocks.entries()) {
    const { svg } = await mermaid.render('diagram-' + i, pre.textContent);
    pre.innerHTML = svg;
  }
  document.title = 'rendered ' + document.querySelectorAll('pre.mermaid svg').length;
})().catch((e) => { document.title = 'failed: ' + e.message; });
</script></body></html>`,
    );
    const dom = execFileSync(
      chromium,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--allow-file-access-from-files',
        '--virtual-time-budget=30000', '--dump-dom', `file://${page}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(/<title>([^<]*)<\/title>/.exec(dom)?.[1]).toBe(`rendered ${schemaAreas.length}`);
    expect(dom).not.toContain('Syntax error');
    schemaAreas.forEach((area, i) => {
      const svg = new RegExp(`<pre class="mermaid" id="area-${i}"[^>]*>([\\s\\S]*?)</pre>`).exec(dom)?.[1] ?? '';
      expect(svg, area.title).toContain('<svg');
      for (const table of area.tables) {
        const config = getTableConfig(table);
        const name = config.schema && config.schema !== 'public' ? `${config.schema}_${config.name}` : config.name;
        expect(svg, `${name} drawn in ${area.title}`).toContain(`>${name}<`);
      }
    });
  });
});
