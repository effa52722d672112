import { useRoutePath } from '../../core/router';
import { BundlePage } from './bundle/BundlePage';
import { LedgerPage } from './LedgerPage';
import { ReceiptPage } from './print/ReceiptPage';
import { TransferFormPage } from './print/TransferFormPage';

/**
 * The Ledger area's pages: `#/ledger` (timeline, bundles, flags, kit), `#/ledger/bundle/<digest>`
 * (chain of custody), and its printable `/form` and `/receipt`.
 */
export function LedgerArea() {
  const [section, digest, sub] = useRoutePath();
  if (section === 'bundle' && digest) {
    if (sub === 'form') return <TransferFormPage digest={digest} />;
    if (sub === 'receipt') return <ReceiptPage digest={digest} />;
    return <BundlePage digest={digest} />;
  }
  return <LedgerPage />;
}
