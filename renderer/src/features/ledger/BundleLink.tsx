import Link from '@mui/material/Link';
import { shortDigest } from '../../lib/format';
import { hrefs } from '../../core/router';
import { MONO } from '../../core/theme';

export interface BundleLinkProps {
  digest: string;
  /** The bundle's name, when the ledger knows it; shown instead of the shortened digest. */
  name?: string;
  /** A ledger line to point at on the bundle's page. */
  line?: number;
  /** The link's accessible name; defaults to its text. */
  ariaLabel?: string;
}

// Plain styles rather than sx: lists hold many of these links.
const NAMED = { fontWeight: 500 } as const;
const DIGEST = { fontFamily: MONO, fontSize: '0.8125rem', whiteSpace: 'nowrap' } as const;

/** A link to a bundle's chain of custody (#/ledger/bundle/<digest>): its name, or its shortened digest in monospace. */
export function BundleLink({ digest, name, line, ariaLabel }: BundleLinkProps) {
  return (
    <Link href={hrefs.bundle(digest, line)} aria-label={ariaLabel} title={digest} style={name ? NAMED : DIGEST}>
      {name ?? shortDigest(digest)}
    </Link>
  );
}
