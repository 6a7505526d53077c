#!/usr/bin/env node
// The `assay` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../functions/cli/assay.ts');
