import FactCheckOutlinedIcon from '@mui/icons-material/FactCheckOutlined';
import RateReviewOutlinedIcon from '@mui/icons-material/RateReviewOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { memo, useDeferredValue, useId, useState, type ComponentType } from 'react';
import { Digest } from '../../components/Digest';
import { PageHeading } from '../../components/PageHeading';
import { ferry } from '../../client';
import { BundlesPanel } from './BundlesPanel';
import { ExportKitPanel } from './ExportKitPanel';
import { useLedgerFlags } from './api/queries';
import { FlagsPanel } from './FlagsPanel';
import { useLedgerView, type LedgerTab } from './ledgerStore';
import { ReviewDialog } from './ReviewDialog';
import { TimelinePanel } from './TimelinePanel';
import { VerifyResult, type ChainCheck } from './VerifyResult';

const TABS: { value: LedgerTab; label: string; Panel: ComponentType }[] = [
  { value: 'timeline', label: 'Timeline', Panel: TimelinePanel },
  { value: 'bundles', label: 'Bundles', Panel: BundlesPanel },
  { value: 'flags', label: 'Flags', Panel: FlagsPanel },
  { value: 'kit', label: "Auditor's kit", Panel: ExportKitPanel },
];

/** The ledger: the timeline with filters, every bundle, reconciliation flags, the auditor's kit, verify-the-chain and review sign-off. */
export function LedgerPage() {
  const tab = useLedgerView((s) => s.tab);
  const withKit = useLedgerView((s) => s.withKit);
  const { total: flagCount } = useLedgerFlags(withKit);
  const { setTab } = useLedgerView.getState();
  // The tab strip follows the click at once; the panel is rendered as a transition, in slices between frames.
  const shownTab = useDeferredValue(tab);
  const ledgerId = useLedgerView((s) => s.ledgerId);
  const [check, setCheck] = useState<ChainCheck | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const ids = useId();
  async function verifyChain() {
    setCheck({ loading: true });
    try {
      setCheck({ loading: false, result: await ferry().call('ledger.verify', {}) });
    } catch (err) {
      setCheck({ loading: false, error: err });
    }
  }

  return (
    <>
      <PageHeading
        title="Ledger"
        lead={
          <>
            Every export, approval, medium, handoff, import, disposition and key change, in an append-only hash chain.
            {ledgerId && (
              <>
                {' '}
                Ledger ID <Digest value={ledgerId} label="ledger ID" />
              </>
            )}
          </>
        }
        actions={
          <>
            <Button variant="outlined" startIcon={<RateReviewOutlinedIcon />} onClick={() => setReviewing(true)}>
              Record review sign-off…
            </Button>
            <Button variant="contained" startIcon={<FactCheckOutlinedIcon />} onClick={() => void verifyChain()} disabled={check?.loading}>
              {check?.loading ? 'Verifying…' : 'Verify chain'}
            </Button>
          </>
        }
      />

      {check && !check.loading && (
        <Box sx={{ mb: 3 }}>
          <VerifyResult check={check} />
        </Box>
      )}

      <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
        <Tabs value={tab} onChange={(_e, value: LedgerTab) => setTab(value)} aria-label="Ledger views" variant="scrollable" scrollButtons="auto">
          {TABS.map((t) => (
            <Tab
              key={t.value}
              value={t.value}
              label={t.value === 'flags' && flagCount > 0 ? `Flags (${flagCount})` : t.label}
              id={`${ids}-tab-${t.value}`}
              aria-controls={`${ids}-panel-${t.value}`}
            />
          ))}
        </Tabs>
      </Box>
      <LedgerPanels tab={shownTab} ids={ids} />

      <ReviewDialog open={reviewing} onClose={() => setReviewing(false)} />
    </>
  );
}

/** The open tab's panel; memoised so the page's own updates (the tab strip, a verify result) do not render it again. */
const LedgerPanels = memo(function LedgerPanels({ tab, ids }: { tab: LedgerTab; ids: string }) {
  return TABS.map((t) => (
    <Box key={t.value} role="tabpanel" id={`${ids}-panel-${t.value}`} aria-labelledby={`${ids}-tab-${t.value}`} hidden={tab !== t.value} sx={{ pt: 3 }}>
      {tab === t.value && <t.Panel />}
    </Box>
  ));
});
