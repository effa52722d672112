import type { Methods } from '../rpc/context.js';
import type { peopleMethods } from '../../shared/contract/people.js';
import { twoPersonRuleOn } from '../custody/rule.js';
import { enrolPerson, listPeople, removePerson } from './people.js';

export const peopleHandlers: Methods<typeof peopleMethods> = {
  async 'people.list'(_params, ctx) {
    const engine = ctx.engine();
    return { people: listPeople(engine.ledger), twoPersonRule: await twoPersonRuleOn(engine) };
  },
  async 'people.add'(params, ctx) {
    return enrolPerson(ctx.engine(), params);
  },
  async 'people.remove'(params, ctx) {
    return removePerson(ctx.engine(), params);
  },
};
