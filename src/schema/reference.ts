import type { ReferenceRow } from '../db/read-cables.ts';
import type { Recipient as RecipientShape } from '../extract/types.ts';
import { builder } from './builder.ts';
import { Cable } from './cable-ref.ts';

export const Recipient = builder.objectRef<RecipientShape>('Recipient');
Recipient.implement({
  description: 'An addressee of the routing header.',
  fields: (t) => ({
    route: t.exposeString('route', { nullable: true, description: 'Routing indicator ("RUEHC").' }),
    name: t.exposeString('name', { description: 'Addressee ("SECSTATE WASHDC").' }),
    precedence: t.exposeString('precedence', { nullable: true, description: 'IMMEDIATE, PRIORITY, ROUTINE …' }),
    mcn: t.exposeString('mcn', { nullable: true, description: 'Message number.' }),
  }),
});

export const CableReference = builder.objectRef<ReferenceRow>('CableReference');
CableReference.implement({
  description: 'One item of a REF line.',
  fields: (t) => ({
    bullet: t.exposeString('bullet', { nullable: true, description: 'The item letter (A, B …).' }),
    kind: t.exposeString('kind', { description: 'cable, email, tel, memo, report, book or other.' }),
    value: t.exposeString('value', { description: 'Canonical id for a cable, the item text otherwise.' }),
    ref: t.exposeString('to_ref', { nullable: true, description: 'Canonical id of the cited cable, whether ingested or not.' }),
    cable: t.field({
      type: Cable,
      nullable: true,
      description: 'The cited cable, when it is in the graph.',
      resolve: (reference, _args, context) => (reference.to_ref ? context.loaders.cableByRef.load(reference.to_ref) : null),
    }),
  }),
});
