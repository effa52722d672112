import type { ModelRow, UnavailableModelRow } from '../../shared/rpc.js';
import { cloudModelReason } from './details.js';
import { listModels, type OllamaListing, type OllamaModel } from './store.js';

/** A model with weights to carry, as the wizard's list shows it. */
function modelRow(m: OllamaModel): ModelRow {
  return { name: m.displayName, ref: m.ref, id: m.modelId, digest: m.manifestDigest, size: m.size, licensePresent: m.licensePresent, ...m.details };
}

/** The models that have weights here to carry (cloud stubs have none). */
function carriableModels(listing: OllamaListing): OllamaModel[] {
  return listing.models.filter((m) => !m.remote);
}

/** Broken models and cloud stubs, each with why it is not carried, sorted by name. */
function unavailableRows(listing: OllamaListing): UnavailableModelRow[] {
  const rows: UnavailableModelRow[] = [];
  for (const m of listing.models) if (m.remote) rows.push({ name: m.displayName, ref: m.ref, kind: 'cloud', reason: cloudModelReason(m.remote) });
  for (const b of listing.broken) rows.push({ name: b.displayName, ref: b.ref, kind: 'broken', reason: b.problem });
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The store's models as the wizard lists them: those to pick, and those shown with why they cannot be picked. */
export async function storeRows(store: string): Promise<{ store: string; models: ModelRow[]; unavailable: UnavailableModelRow[] }> {
  const listing = await listModels(store);
  return { store, models: carriableModels(listing).map(modelRow), unavailable: unavailableRows(listing) };
}
