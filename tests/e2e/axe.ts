// axe-core accessibility checks for the e2e tests. The script is evaluated, not added as a <script>: the built
// page's Content-Security-Policy (rightly) refuses inline scripts.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string; help: string; nodes: { target: string[]; html: string }[] }
type AxeWindow = { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } };

async function runAxe(target: Page | Frame, options: object): Promise<AxeViolation[]> {
  await target.evaluate(AXE_SOURCE);
  return target.evaluate(async (opts) => (await (window as unknown as AxeWindow).axe.run(document, opts)).violations, { resultTypes: ['violations'], ...options });
}

/** serious and critical axe-core violations on the page (or frame), each logged */
export async function axeViolations(target: Page | Frame): Promise<string[]> {
  const results = (await runAxe(target, {})).map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
  for (const v of results) console.log(`axe ${v.impact}: ${v.id} — ${v.help} (${v.targets.join(' | ')})`);
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

/** axe-core's heading-order findings (a "moderate" rule that axeViolations lets through) */
export async function headingOrder(page: Page): Promise<string[]> {
  const found = await runAxe(page, { runOnly: ['heading-order'] });
  return found.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} ${n.html.slice(0, 80)}`));
}
