import './cable.ts';
import './co-mention.ts';
import './country.ts';
import './dashboard.ts';
import './graph.ts';
import './mention.ts';
import './official.ts';
import './organization.ts';
import './paragraph.ts';
import './path.ts';
import './person.ts';
import './reference.ts';
import './search.ts';
import './topic.ts';

import { builder } from './builder.ts';

export const schema = builder.toSchema({ sortSchema: true });
