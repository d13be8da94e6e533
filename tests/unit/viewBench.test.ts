// The bench's view table (bench/views.ts) times every one of the paper's six views, each by its title (issue 15, 2a).

import { describe, expect, it } from 'vitest';
import { TARGETS, viewBenchTable } from '../../bench/views';
import { VIEW_SPECS } from '../../src/engine/views/views';

describe('views bench', () => {
  it('has one target per view, with all of its runs, and a table row each', () => {
    expect(VIEW_SPECS).toHaveLength(6);
    expect(TARGETS.map((t) => t.target)).toEqual(VIEW_SPECS.map((v) => v.id));
    for (const v of VIEW_SPECS) expect(TARGETS.find((t) => t.target === v.id)!.runs).toEqual(v.runs.map((r) => r.id));
    const table = viewBenchTable(TARGETS.map((t, i) => ({ target: t.target, where: 'node', seconds: i + 0.5, detail: { load1: 1, [t.runs[0]]: 0.25 } })));
    const lines = table.split('\n').slice(2);
    expect(lines).toHaveLength(6);
    for (const v of VIEW_SPECS) expect(table).toContain(`| ${v.title} | node |`);
    expect(lines[0]).toContain(`${TARGETS[0].runs[0]} 0.25`);
  });
});
