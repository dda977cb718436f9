#!/usr/bin/env node
// The `kindred` command. Kindred runs its TypeScript through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
