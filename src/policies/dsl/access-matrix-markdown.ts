import type { AccessMatrix, AccessMatrixTable } from './access-matrix';
import { CRUD_ORDER, OPERATION_LETTERS } from './operations';
import { PERSONAS, type Persona } from './personas';

export interface AccessMatrixMarkdownOptions {
  /** The document's heading; default `Access matrix`. */
  readonly title?: string;
  /** Persona columns of the grid; default all personas. */
  readonly personas?: readonly Persona[];
}

/** Inline code that survives a markdown table cell. */
function code(text: string): string {
  return `\`${text.replace(/\|/g, '\\|')}\``;
}

function cell(text: string | undefined): string {
  return text === undefined || text === '' ? '' : text.replace(/\|/g, '\\|');
}

function tableSection(table: AccessMatrixTable): string[] {
  const lines = [`## ${table.table}`, ''];
  if (table.noClientAccess !== undefined) {
    lines.push(`No client access: ${table.noClientAccess}. No policies; \`anon\` and \`authenticated\` hold no privileges.`, '');
  } else {
    if (table.tenantColumn !== undefined && table.tenantUsing !== undefined) {
      lines.push(`Tenant isolation (restrictive, all operations): ${code(table.tenantUsing)}`, '');
      if (table.tenantNullRows !== undefined) lines.push(`Rows without an organisation pass the tenant policy: ${cell(table.tenantNullRows)}.`, '');
      if (table.tenantOwnRows !== undefined) lines.push(`The signed-in user's own rows pass the tenant policy: ${cell(table.tenantOwnRows)}.`, '');
      if (table.tenantGuardAsFilter !== undefined) lines.push(`The guard is a filter the planner does not estimate: ${cell(table.tenantGuardAsFilter)}.`, '');
    }
    lines.push('| # | operations | who | summary | using | with check | updatable columns |', '|---|---|---|---|---|---|---|');
    for (const rule of table.rules) {
      const summary = rule.deliberatelyPublic === undefined ? cell(rule.summary) : `${cell(rule.summary)}${rule.summary === undefined ? '' : ' '}(public: ${cell(rule.deliberatelyPublic)})`;
      lines.push(
        `| ${rule.index} | ${rule.operations.join(', ')} | ${rule.who.join(', ')} | ${summary} | ${rule.using === undefined ? '' : code(rule.using)} | ${rule.withCheck === undefined ? '' : code(rule.withCheck)} | ${rule.columns === undefined ? '' : rule.columns.join(', ')} |`,
      );
    }
    if (table.notes.length > 0) lines.push('', ...table.notes.map((note) => `> **Note:** ${note}`));
    lines.push('', 'Policies:', '');
    for (const policy of table.policies) {
      const clauses = [
        ...(policy.using === undefined ? [] : [`using ${code(policy.using)}`]),
        ...(policy.withCheck === undefined ? [] : [`with check ${code(policy.withCheck)}`]),
      ];
      lines.push(`- \`${policy.name}\` — ${policy.as}, for ${policy.for}, to ${policy.to}: ${clauses.join('; ')}`);
    }
  }
  lines.push('', 'Grants:', '', '```sql', ...table.grants.map((grant) => `${grant};`), '```', '');
  return lines;
}

/**
 * The access matrix as a markdown document: a persona × table grid of C/R/U/D letters, then one
 * section per table with its rules (rendered SQL), compiled policies and grants. Deterministic.
 */
export function renderAccessMatrixMarkdown(matrix: AccessMatrix, options: AccessMatrixMarkdownOptions = {}): string {
  const personas = options.personas ?? PERSONAS;
  const lines = [
    `# ${options.title ?? 'Access matrix'}`,
    '',
    'Generated from the policy DSL declarations (`src/policies`); do not edit by hand.',
    '',
    'C = insert, R = select, U = update, D = delete, – = nothing. A persona\'s letters include rules written for',
    'a persona that covers it: `member` (every member role), `self` (every signed-in user, own rows) and, for',
    '`supervisor`, `therapist`. Letters say that *some* rows are reachable; the sections below say which.',
    '',
    `| table | ${personas.join(' | ')} |`,
    `|---|${personas.map(() => '---').join('|')}|`,
  ];
  for (const table of matrix.tables) {
    const cells = personas.map((persona) => {
      const letters = CRUD_ORDER.filter((op) => matrix.rows.some((row) => row.table === table.table && row.persona === persona && row.operation === op)).map(
        (op) => OPERATION_LETTERS[op],
      );
      return letters.length === 0 ? '–' : letters.join('');
    });
    lines.push(`| ${table.table} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  for (const table of matrix.tables) lines.push(...tableSection(table));
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
