import type Database from 'better-sqlite3';
import type { BundleStateRow, FlagRow } from './bundle-projection.js';

export interface BundlePageQuery {
  /** Part of a bundle's name (any case), or the first hex digits of its digest. */
  search?: string | undefined;
  limit: number;
  offset: number;
}

export interface BundleStatePage {
  rows: (BundleStateRow & { media: string[]; flags: number })[];
  /** How many bundles match the search. */
  total: number;
}

/** An open flag with its bundle's name, when the ledger knows one. */
export type OpenFlagRow = FlagRow & { name: string | null };

const NAME_OF = (table: string) => `(SELECT name FROM bundle_state s WHERE s.bundle = ${table}.bundle)`;

/**
 * Flags still open, newest first (of one kind with @kind): the reconciliation flags and every medium
 * noted but never dispositioned. Ordered as one compound, so SQLite merges the two indexed arms
 * rather than sorting them all for every page; each row brings its bundle's name.
 */
const openFlagsSql = (ofKind: boolean) => `
  SELECT seq, kind, bundle, media, signer, subject, ${NAME_OF('f')} AS name FROM ledger_flag f
  WHERE cleared IS NULL${ofKind ? ' AND kind = @kind' : ''}
  UNION ALL
  SELECT noted_seq, 'media-not-dispositioned', bundle, media, NULL, NULL, ${NAME_OF('m')} FROM bundle_media m
  WHERE disposed = 0 AND noted_seq IS NOT NULL${ofKind ? " AND @kind = 'media-not-dispositioned'" : ''}
  ORDER BY 1 DESC, 2, 4 LIMIT @limit OFFSET @offset`;

/**
 * What Home asks a person to act on from the ledger: media that read back with a failure, and media
 * whose disposition is due (this ledger records the bundle's import, or it was noted before the
 * cutoff); each unless someone dismissed it.
 */
const ATTENTION = `SELECT seq, kind, bundle, media, time FROM (
  SELECT f.seq, 'media-failed' AS kind, f.bundle, f.media, e.time FROM ledger_flag f JOIN event_index e ON e.seq = f.seq
  WHERE f.kind = 'media-failed' AND f.cleared IS NULL
    AND NOT EXISTS (SELECT 1 FROM attention_dismissed d WHERE d.key = 'media-failed:' || f.bundle || ':' || f.media)
  UNION ALL
  SELECT m.noted_seq, 'disposition-due', m.bundle, m.media, e.time FROM bundle_media m JOIN event_index e ON e.seq = m.noted_seq
  WHERE m.disposed = 0 AND m.noted_seq IS NOT NULL
    AND (e.time < @cutoff OR EXISTS (SELECT 1 FROM bundle_state s WHERE s.bundle = m.bundle AND s.imported = 1))
    AND NOT EXISTS (SELECT 1 FROM attention_dismissed d WHERE d.key = 'disposition-due:' || m.bundle || ':' || m.media)
)`;

export interface AttentionRow {
  seq: number;
  kind: 'media-failed' | 'disposition-due';
  bundle: string;
  media: string;
  time: string;
}

/** A page's row: the bundle, its media in the order they were noted (a JSON array) and its open flags, in one query. */
const PAGE_COLUMNS = `bundle, name, first_time, last_time, last_type, exported, imported,
  (SELECT json_group_array(media ORDER BY first_seq, media) FROM bundle_media m WHERE m.bundle = s.bundle) AS media,
  (SELECT COUNT(*) FROM ledger_flag f WHERE f.bundle = s.bundle AND +cleared IS NULL)
    + (SELECT COUNT(*) FROM bundle_media m WHERE m.bundle = s.bundle AND +disposed = 0 AND noted_seq IS NOT NULL) AS flags`;
type PageRow = BundleStateRow & { media: string; flags: number };

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Reads of the materialised bundle state (bundle-projection.ts): each bounded by its page. */
export class BundleStateQueries {
  private readonly sql;

  constructor(db: Database.Database) {
    const matching = `name LIKE @name ESCAPE '\\' OR bundle GLOB @digest`;
    this.sql = {
      // The page is found in the (last_time, bundle) index alone, so the rows skipped by OFFSET cost no table reads.
      page: db.prepare<{ limit: number; offset: number }, PageRow>(
        `SELECT ${PAGE_COLUMNS} FROM bundle_state s
         WHERE bundle IN (SELECT bundle FROM bundle_state ORDER BY last_time DESC, bundle DESC LIMIT @limit OFFSET @offset)
         ORDER BY last_time DESC, bundle DESC`,
      ),
      // The closest first: the name itself, then names that start with what was typed, then the rest by their latest activity.
      search: db.prepare<{ name: string; digest: string; exact: string; prefix: string; limit: number; offset: number }, PageRow>(
        `SELECT ${PAGE_COLUMNS} FROM bundle_state s WHERE ${matching}
         ORDER BY CASE WHEN name = @exact COLLATE NOCASE THEN 0 WHEN name LIKE @prefix ESCAPE '\\' THEN 1 ELSE 2 END, last_time DESC, bundle DESC
         LIMIT @limit OFFSET @offset`,
      ),
      total: db.prepare<[], number>('SELECT COUNT(*) FROM bundle_state').pluck(),
      searchTotal: db.prepare<{ name: string; digest: string }, number>(`SELECT COUNT(*) FROM bundle_state WHERE ${matching}`).pluck(),
      name: db.prepare<[string], string | null>('SELECT name FROM bundle_state WHERE bundle = ?').pluck(),
      openFlags: db.prepare<{ limit: number; offset: number }, OpenFlagRow>(openFlagsSql(false)),
      openFlagsOfKind: db.prepare<{ limit: number; offset: number; kind: string }, OpenFlagRow>(openFlagsSql(true)),
      bundleFlags: db.prepare<[string, string], OpenFlagRow>(
        `SELECT seq, kind, bundle, media, signer, subject, ${NAME_OF('f')} AS name FROM ledger_flag f WHERE bundle = ? AND cleared IS NULL
         UNION ALL SELECT noted_seq, 'media-not-dispositioned', bundle, media, NULL, NULL, ${NAME_OF('m')} FROM bundle_media m
         WHERE bundle = ? AND +disposed = 0 AND noted_seq IS NOT NULL
         ORDER BY 1`,
      ),
      attention: db.prepare<{ cutoff: string; limit: number }, AttentionRow>(`${ATTENTION} ORDER BY seq DESC LIMIT @limit`),
      attentionTotal: db.prepare<{ cutoff: string }, number>(`SELECT COUNT(*) FROM (${ATTENTION})`).pluck(),
      flagCounts: db.prepare<[], { kind: string; count: number }>(
        `SELECT kind, COUNT(*) AS count FROM ledger_flag WHERE cleared IS NULL GROUP BY kind
         UNION ALL SELECT 'media-not-dispositioned', COUNT(*) FROM bundle_media WHERE disposed = 0 AND noted_seq IS NOT NULL`,
      ),
    };
  }

  /** A page of bundles, the latest activity first. */
  bundles(q: BundlePageQuery): BundleStatePage {
    const search = q.search?.trim() ?? '';
    const hex = search.toLowerCase().replace(/^sha256:/, '');
    const filter = { name: `%${likeEscaped(search)}%`, digest: /^[0-9a-f]+$/.test(hex) ? `sha256:${hex}*` : '-' };
    const rows = search
      ? this.sql.search.all({ ...filter, exact: search, prefix: `${likeEscaped(search)}%`, limit: q.limit, offset: q.offset })
      : this.sql.page.all({ limit: q.limit, offset: q.offset });
    return {
      rows: rows.map(({ media, ...row }) => ({ ...row, media: JSON.parse(media) as string[] })),
      total: search ? this.sql.searchTotal.get(filter)! : this.sql.total.get()!,
    };
  }

  /** The newest items Home asks a person to act on, and how many there are; media noted before `cutoff` (ISO time) are due. */
  attention(q: { cutoff: string; limit: number }): { rows: AttentionRow[]; total: number } {
    return { rows: this.sql.attention.all(q), total: this.sql.attentionTotal.get({ cutoff: q.cutoff })! };
  }

  /** The bundle's name, if the ledger knows one. */
  nameOf(digest: string): string | undefined {
    return this.sql.name.get(digest) ?? undefined;
  }

  /** A page of open flags, newest first, of one kind if given. */
  openFlags(q: { limit: number; offset: number; kind?: string | undefined }): OpenFlagRow[] {
    const args = { limit: q.limit, offset: q.offset };
    return q.kind ? this.sql.openFlagsOfKind.all({ ...args, kind: q.kind }) : this.sql.openFlags.all(args);
  }

  /** Every open flag of one bundle, in ledger order (a bundle has few). */
  flagsOf(bundle: string): OpenFlagRow[] {
    return this.sql.bundleFlags.all(bundle, bundle);
  }

  /** Open flags by kind, for totals. */
  flagCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { kind, count } of this.sql.flagCounts.all()) if (count > 0) counts[kind] = count;
    return counts;
  }
}
