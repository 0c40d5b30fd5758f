import { readFileSync } from 'node:fs';

import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

import { schema } from '../src/schema/index.ts';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after a deliberate change)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSchema(schema) + '\n').toBe(committed);
  });

  it('describes every type and field', () => {
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Boolean', 'ID', 'Float'].includes(type.name)) continue;
      if (!type.description) undocumented.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
