import type { FerryBridge } from '../../../shared/bridge.js';
import type { EventData, EventName, FerryClient, MethodName, Params, Result } from '../../../shared/rpc.js';
import { useConnection } from './connection';
import { FerryClientError, isEnvelope } from './errors';

/** Electron: the preload's one invoke and one event feed, with envelopes unwrapped into results or errors. */
export function createBridgeClient(bridge: FerryBridge): FerryClient {
  useConnection.setState({ transport: 'electron', status: 'open', generation: 1 });
  return {
    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      let envelope: Awaited<ReturnType<FerryBridge['invoke']>>;
      try {
        envelope = await bridge.invoke(method, params);
      } catch (err) {
        throw new FerryClientError(
          'INTERNAL',
          `Ferry's engine did not answer ${method}: ${err instanceof Error ? err.message : String(err)}. Restart Ferry; if it happens again, report it.`,
        );
      }
      if (envelope && envelope.ok === true) return envelope.result as Result<M>;
      if (envelope && envelope.ok === false && isEnvelope(envelope.error)) throw FerryClientError.from(envelope.error);
      throw new FerryClientError('INTERNAL', `Ferry's engine gave a malformed answer to ${method}.`);
    },
    on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void {
      return bridge.onEvent((message) => {
        if (message.event === event) handler(message.data as EventData<E>);
      });
    },
  };
}
