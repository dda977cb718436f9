// Every adoption-related rule of shared/ssda903/adoption-rules-2025-26.tsv, registered once
// (fixtures.test.ts checks that each TSV code has exactly one rule with the TSV's message).
import type { Rule } from './rule.js';
import { rulesA } from './rules-a.js';
import { rulesB } from './rules-b.js';

export const rules: Rule[] = [...rulesA, ...rulesB];
