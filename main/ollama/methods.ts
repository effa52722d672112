import type { Methods } from '../rpc/context.js';
import { storeRows } from './listing.js';
import type { ollamaMethods } from '../../shared/contract/ollama.js';

export const ollamaHandlers: Methods<typeof ollamaMethods> = {
  async 'ollama.list'(params) {
    return storeRows(params.store);
  },
};
