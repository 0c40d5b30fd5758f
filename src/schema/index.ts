import './cable.ts';
import './paragraph.ts';
import './person.ts';
import './reference.ts';

import { builder } from './builder.ts';

export const schema = builder.toSchema({ sortSchema: true });
