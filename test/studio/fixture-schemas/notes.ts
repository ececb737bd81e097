/** The declaration the Studio tests browse: typed filters (enum, number, string) and a base64 prop. */
import { z } from 'zod';
import { defineCollection } from '../../../runtime/schema/index.js';

/** The declaration the Studio types its filters from. */
export const notes = defineCollection({
  name: 'notes',
  schema: z.object({
    noteId: z.string(),
    status: z.enum(['draft', 'published', 'archived']),
    priority: z.int(),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()).optional(),
    attachment: z.string().optional(),
  }),
  indexedProps: ['noteId', 'status', 'priority'],
  base64Props: { attachment: { contentType: 'text/plain' } },
  counterRules: [{ name: 'notes_published', on: ['UPDATE'], scope: 'meta', when: { status: 'published' } }],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
  displayField: 'title',
});
