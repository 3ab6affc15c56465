#!/usr/bin/env node
// The `portcullis` command. The sources are TypeScript; tsx compiles them on load
// (once, at start-up), so the same files run from a checkout and from npm.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli.ts');
