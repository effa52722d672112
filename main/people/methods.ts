import type { Methods } from '../rpc/context.js';
import type { peopleMethods } from '../../shared/contract/people.js';
import { ruleInLedger } from '../custody/rule.js';
import { enrolPerson, listPeople, removePerson } from './people.js';

export const peopleHandlers: Methods<typeof peopleMethods> = {
  async 'people.list'(_params, ctx) {
    const engine = ctx.engine();
    return { people: listPeople(engine.ledger), twoPersonRule: ruleInLedger(engine.ledger) };
  },
  async 'people.add'(params, ctx) {
    const engine = ctx.engine();
    return enrolPerson(engine, params, ruleInLedger(engine.ledger));
  },
  async 'people.remove'(params, ctx) {
    const engine = ctx.engine();
    return removePerson(engine, params, ruleInLedger(engine.ledger));
  },
};
